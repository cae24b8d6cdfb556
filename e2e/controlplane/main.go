// Command backtrack-controlplane is ONE binary holding the real upstream
// Kubernetes control plane (built from pinned Go modules) for the Backtrack
// test harness: etcd (embedded), kube-apiserver, kube-controller-manager,
// kube-scheduler, kubectl, and `up`, which starts the four servers as child
// processes of itself and prints a kubeconfig.
//
// Each server runs in its own OS process: the upstream commands share global
// flags and a signal handler that panics when set up twice.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

const usage = `usage: backtrack-controlplane <command> [flags]

commands:
  up                       start etcd, kube-apiserver, kube-controller-manager and
                           kube-scheduler as child processes (see "up --help")
  etcd                     embedded etcd server (see "etcd --help")
  kube-apiserver           upstream kube-apiserver
  kube-controller-manager  upstream kube-controller-manager
  kube-scheduler           upstream kube-scheduler
  kubectl                  upstream kubectl
  version                  print the pinned Kubernetes version
`

func main() {
	// Busybox style: a symlink named after a command runs that command.
	name := filepath.Base(os.Args[0])
	if isCommand(name) {
		os.Exit(run(name, os.Args[1:]))
	}
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	os.Exit(run(os.Args[1], os.Args[2:]))
}

func isCommand(name string) bool {
	switch name {
	case "up", "etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl":
		return true
	}
	return false
}

func run(cmd string, args []string) int {
	switch cmd {
	case "up":
		return runUp(args)
	case "etcd":
		return runEtcd(args)
	case "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl":
		// The upstream cobra commands read os.Args[1:]: make it look as if
		// the upstream binary had been called.
		os.Args = append([]string{cmd}, args...)
		return runUpstream(cmd)
	case "version", "--version", "-version":
		fmt.Println(versionString())
		return 0
	case "help", "-h", "--help":
		fmt.Print(usage)
		return 0
	default:
		fmt.Fprintf(os.Stderr, "backtrack-controlplane: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
}

func versionString() string {
	v := upstreamVersion()
	return strings.TrimSpace(v)
}
