package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

const upUsage = `usage: backtrack-controlplane up --dir DIR [flags]

Starts etcd, kube-apiserver, kube-controller-manager and kube-scheduler as
child processes, waits until they are healthy, writes DIR/kubeconfig and
prints exactly one line to stdout:

  ready kubeconfig=DIR/kubeconfig server=https://127.0.0.1:PORT

Everything else goes to stderr. Stays in the foreground; SIGINT/SIGTERM (or
stdin EOF with --exit-on-stdin-close) stops the children and exits 0.

flags:
`

type upOptions struct {
	dir               string
	apiserverPort     int
	exitOnStdinClose  bool
	cleanup           bool
	timeout           time.Duration
	apiserverArgs     multiFlag
	controllerMgrArgs multiFlag
	schedulerArgs     multiFlag
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// child is one control-plane process: this binary re-executed with a command.
type child struct {
	name    string
	cmd     *exec.Cmd
	logPath string
	done    chan struct{} // closed when the process has exited
	err     error         // exit status, valid after done
}

func logf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "controlplane: "+format+"\n", a...)
}

func runUp(args []string) int {
	// Pdeathsig fires when the *thread* that started a child exits. Start
	// the children from the main thread, which lives as long as `up` does.
	runtime.LockOSThread()
	var o upOptions
	fs := flag.NewFlagSet("up", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(os.Stderr, upUsage); fs.PrintDefaults() }
	fs.StringVar(&o.dir, "dir", "", "working directory for certificates, kubeconfigs, etcd data and logs (created if missing; required)")
	fs.IntVar(&o.apiserverPort, "apiserver-port", 0, "kube-apiserver secure port on 127.0.0.1 (0: a free port)")
	fs.BoolVar(&o.exitOnStdinClose, "exit-on-stdin-close", false, "stop everything when stdin reaches EOF (use when the parent may die)")
	fs.BoolVar(&o.cleanup, "cleanup", false, "remove DIR after a clean stop (kept after a failure, for its logs)")
	fs.DurationVar(&o.timeout, "timeout", 3*time.Minute, "give up if the control plane is not ready within this time")
	fs.Var(&o.apiserverArgs, "apiserver-arg", "extra kube-apiserver flag, e.g. --apiserver-arg=--v=2 (repeatable; later flags win)")
	fs.Var(&o.controllerMgrArgs, "controller-manager-arg", "extra kube-controller-manager flag (repeatable)")
	fs.Var(&o.schedulerArgs, "scheduler-arg", "extra kube-scheduler flag (repeatable)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if o.dir == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	dir, err := filepath.Abs(o.dir)
	if err != nil {
		logf("error: %v", err)
		return 1
	}
	o.dir = dir
	code := up(o)
	if o.cleanup && code == 0 { // on failure DIR stays, for its logs
		if err := os.RemoveAll(o.dir); err != nil {
			logf("cleanup: %v", err)
		}
	}
	return code
}

func up(o upOptions) int {
	start := time.Now()
	self, err := os.Executable()
	if err != nil {
		logf("error: cannot find own executable: %v", err)
		return 1
	}
	for _, d := range []string{o.dir, filepath.Join(o.dir, "logs")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			logf("error: %v", err)
			return 1
		}
	}
	// A kubeconfig left over from an earlier run must not look like "ready".
	_ = os.Remove(filepath.Join(o.dir, "kubeconfig"))

	// Stop on SIGINT/SIGTERM, or on stdin EOF when asked.
	stop := make(chan string, 4)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		s := <-sigs
		stop <- s.String()
	}()
	if o.exitOnStdinClose {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop <- "stdin closed"
		}()
	}

	// Certificates, keys and tokens.
	p := newPKI(o.dir)
	if err := p.ensure(); err != nil {
		logf("error: generating certificates: %v", err)
		return 1
	}
	tokens, err := ensureTokens(o.dir)
	if err != nil {
		logf("error: generating tokens: %v", err)
		return 1
	}
	caPEM, err := os.ReadFile(p.CACert)
	if err != nil {
		logf("error: %v", err)
		return 1
	}

	// Ports: hold each free port open until just before its process starts,
	// so two `up` on one machine never pick the same one.
	ports := map[string]*portHold{}
	for _, n := range []string{"etcd-client", "etcd-peer", "apiserver", "controller-manager", "scheduler"} {
		want := 0
		if n == "apiserver" {
			want = o.apiserverPort
		}
		h, err := holdPort(want)
		if err != nil {
			if want != 0 {
				logf("error: --apiserver-port %d is not free: %v", want, err)
			} else {
				logf("error: no free port: %v", err)
			}
			releaseAll(ports)
			return 1
		}
		ports[n] = h
	}
	defer releaseAll(ports)
	apiPort := ports["apiserver"].port
	server := fmt.Sprintf("https://127.0.0.1:%d", apiPort)

	// Kubeconfigs for the controller manager and the scheduler, each with
	// its own identity (bootstrap RBAC grants them what they need).
	kcmKubeconfig := filepath.Join(o.dir, "controller-manager.kubeconfig")
	schedKubeconfig := filepath.Join(o.dir, "scheduler.kubeconfig")
	if err := writeKubeconfig(kcmKubeconfig, server, caPEM, "system:kube-controller-manager", tokens["system:kube-controller-manager"]); err != nil {
		logf("error: %v", err)
		return 1
	}
	if err := writeKubeconfig(schedKubeconfig, server, caPEM, "system:kube-scheduler", tokens["system:kube-scheduler"]); err != nil {
		logf("error: %v", err)
		return 1
	}

	var children []*child
	// Stop children in reverse start order: scheduler and controller manager
	// together, then kube-apiserver, then etcd.
	stopAll := func() {
		var wg sync.WaitGroup
		for i := len(children) - 1; i >= 0; i-- {
			c := children[i]
			if c.name == "kube-scheduler" || c.name == "kube-controller-manager" {
				wg.Add(1)
				go func() { defer wg.Done(); c.stop() }()
			}
		}
		wg.Wait()
		for i := len(children) - 1; i >= 0; i-- {
			children[i].stop()
		}
	}
	// fail prints why a child died, with the end of its log, and stops the rest.
	fail := func(c *child) int {
		logf("error: %s exited before the control plane was ready (%v); last lines of %s:", c.name, c.err, c.logPath)
		tail := lastLines(c.logPath, 20)
		for _, l := range tail {
			fmt.Fprintf(os.Stderr, "  | %s\n", l)
		}
		if port := portInUse(tail); port != "" {
			logf("error: port %s is already in use (%s could not bind it)", port, c.name)
		}
		stopAll()
		return 1
	}
	// wait polls check until it succeeds, a child dies, a stop is requested,
	// or the overall timeout passes.
	deadline := start.Add(o.timeout)
	wait := func(what string, check func() error) (int, bool) {
		t0 := time.Now()
		var last error
		for {
			for _, c := range children {
				select {
				case <-c.done:
					return fail(c), false
				default:
				}
			}
			if last = check(); last == nil {
				logf("%s ready in %.1fs", what, time.Since(t0).Seconds())
				return 0, true
			}
			if time.Now().After(deadline) {
				logf("error: %s not ready after %s: %v", what, o.timeout, last)
				for _, c := range children {
					logf("  see %s", c.logPath)
				}
				stopAll()
				return 1, false
			}
			select {
			case why := <-stop:
				logf("%s before ready, stopping", why)
				stopAll()
				return 0, false
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
	startChild := func(name string, portNames []string, args ...string) bool {
		for _, n := range portNames {
			ports[n].release()
		}
		c, err := startProcess(self, o.dir, name, args)
		if err != nil {
			logf("error: starting %s: %v", name, err)
			stopAll()
			return false
		}
		children = append(children, c)
		return true
	}

	etcdURL := fmt.Sprintf("http://127.0.0.1:%d", ports["etcd-client"].port)
	logf("starting etcd (client %s) in %s", etcdURL, o.dir)
	if !startChild("etcd", []string{"etcd-client", "etcd-peer"},
		"--data-dir="+filepath.Join(o.dir, "etcd"),
		"--listen-client-url="+etcdURL,
		fmt.Sprintf("--listen-peer-url=http://127.0.0.1:%d", ports["etcd-peer"].port),
	) {
		return 1
	}
	plain := &http.Client{Timeout: 2 * time.Second}
	if code, ok := wait("etcd", func() error { return httpOK(plain, etcdURL+"/health", "") }); !ok {
		return code
	}

	issuer := "https://kubernetes.default.svc.cluster.local"
	apiArgs := []string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		fmt.Sprintf("--secure-port=%d", apiPort),
		"--tls-cert-file=" + p.ServingCert,
		"--tls-private-key-file=" + p.ServingKey,
		"--client-ca-file=" + p.CACert,
		"--service-account-issuer=" + issuer,
		"--api-audiences=" + issuer,
		"--service-account-key-file=" + p.SAPub,
		"--service-account-signing-key-file=" + p.SAKey,
		"--service-cluster-ip-range=10.0.0.0/24",
		"--authorization-mode=Node,RBAC",
		"--token-auth-file=" + filepath.Join(o.dir, "tokens.csv"),
		"--endpoint-reconciler-type=none",
		// Like kubeadm clusters: privileged Pods are refused by Pod Security
		// admission (per namespace), not by a global switch.
		"--allow-privileged=true",
	}
	logf("starting kube-apiserver (%s)", server)
	if !startChild("kube-apiserver", []string{"apiserver"}, append(apiArgs, o.apiserverArgs...)...) {
		return 1
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	secure := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	if code, ok := wait("kube-apiserver", func() error { return httpOK(secure, server+"/readyz", tokens["admin"]) }); !ok {
		return code
	}

	kcmPort := ports["controller-manager"].port
	schedPort := ports["scheduler"].port
	kcmArgs := []string{
		"--kubeconfig=" + kcmKubeconfig,
		"--leader-elect=false",
		"--bind-address=127.0.0.1",
		fmt.Sprintf("--secure-port=%d", kcmPort),
		"--service-account-private-key-file=" + p.SAKey,
		"--root-ca-file=" + p.CACert,
		"--use-service-account-credentials=true",
		"--cluster-signing-cert-file=" + p.CACert,
		"--cluster-signing-key-file=" + p.CAKey,
		"--service-cluster-ip-range=10.0.0.0/24",
		"--controllers=*",
	}
	logf("starting kube-controller-manager (port %d) and kube-scheduler (port %d)", kcmPort, schedPort)
	if !startChild("kube-controller-manager", []string{"controller-manager"}, append(kcmArgs, o.controllerMgrArgs...)...) {
		return 1
	}
	schedArgs := []string{
		"--kubeconfig=" + schedKubeconfig,
		"--leader-elect=false",
		"--bind-address=127.0.0.1",
		fmt.Sprintf("--secure-port=%d", schedPort),
	}
	if !startChild("kube-scheduler", []string{"scheduler"}, append(schedArgs, o.schedulerArgs...)...) {
		return 1
	}
	// Their secure ports use in-memory self-signed certificates; /healthz
	// is always allowed without credentials.
	insecure := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	if code, ok := wait("kube-controller-manager", func() error {
		return httpOK(insecure, fmt.Sprintf("https://127.0.0.1:%d/healthz", kcmPort), "")
	}); !ok {
		return code
	}
	if code, ok := wait("kube-scheduler", func() error {
		return httpOK(insecure, fmt.Sprintf("https://127.0.0.1:%d/healthz", schedPort), "")
	}); !ok {
		return code
	}

	kubeconfig := filepath.Join(o.dir, "kubeconfig")
	if err := writeKubeconfig(kubeconfig, server, caPEM, "admin", tokens["admin"]); err != nil {
		logf("error: %v", err)
		stopAll()
		return 1
	}
	info := map[string]any{
		"pid":        os.Getpid(),
		"server":     server,
		"kubeconfig": kubeconfig,
		"tokenFile":  filepath.Join(o.dir, "admin-token"),
		"caFile":     p.CACert,
		"version":    versionString(),
		"ports": map[string]int{
			"apiserver": apiPort, "etcdClient": ports["etcd-client"].port, "etcdPeer": ports["etcd-peer"].port,
			"controllerManager": kcmPort, "scheduler": schedPort,
		},
		"logs": filepath.Join(o.dir, "logs"),
	}
	if b, err := json.MarshalIndent(info, "", "  "); err == nil {
		_ = writeFileAtomic(filepath.Join(o.dir, "controlplane.json"), append(b, '\n'), 0o644)
	}
	logf("control plane %s ready in %.1fs", versionString(), time.Since(start).Seconds())
	fmt.Printf("ready kubeconfig=%s server=%s\n", kubeconfig, server)

	// Foreground until told to stop, or until a child dies.
	cases := make(chan *child, len(children))
	for _, c := range children {
		go func() { <-c.done; cases <- c }()
	}
	select {
	case why := <-stop:
		logf("%s, stopping", why)
		stopAll()
		logf("stopped")
		return 0
	case c := <-cases:
		logf("error: %s exited unexpectedly (%v); last lines of %s:", c.name, c.err, c.logPath)
		for _, l := range lastLines(c.logPath, 20) {
			fmt.Fprintf(os.Stderr, "  | %s\n", l)
		}
		stopAll()
		return 1
	}
}

func startProcess(self, dir, name string, args []string) (*child, error) {
	logPath := filepath.Join(dir, "logs", name+".log")
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(f, "==== %s %s %s\n", time.Now().Format(time.RFC3339), name, strings.Join(args, " "))
	cmd := exec.Command(self, append([]string{name}, args...)...)
	cmd.Dir = dir
	cmd.Stdout = f
	cmd.Stderr = f
	cmd.Stdin = nil
	cmd.Env = append(os.Environ(), "KUBECONFIG=")
	cmd.SysProcAttr = &syscall.SysProcAttr{
		// Killed by the kernel when `up` dies, even by SIGKILL.
		Pdeathsig: syscall.SIGKILL,
		// Own process group: a terminal's Ctrl-C reaches only `up`, which
		// then stops the children in order.
		Setpgid: true,
	}
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, err
	}
	c := &child{name: name, cmd: cmd, logPath: logPath, done: make(chan struct{})}
	go func() {
		c.err = cmd.Wait()
		f.Close()
		close(c.done)
	}()
	return c, nil
}

// stop sends SIGTERM, waits up to 5 s, then SIGKILL.
func (c *child) stop() {
	select {
	case <-c.done:
		return
	default:
	}
	t0 := time.Now()
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
		logf("%s stopped in %.1fs", c.name, time.Since(t0).Seconds())
	case <-time.After(5 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
		logf("%s killed after 5s", c.name)
	}
}

type portHold struct {
	port int
	l    net.Listener
}

func holdPort(want int) (*portHold, error) {
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", want))
	if err != nil {
		return nil, err
	}
	return &portHold{port: l.Addr().(*net.TCPAddr).Port, l: l}, nil
}

func (h *portHold) release() {
	if h != nil && h.l != nil {
		_ = h.l.Close()
		h.l = nil
	}
}

func releaseAll(m map[string]*portHold) {
	for _, h := range m {
		h.release()
	}
}

func httpOK(c *http.Client, url, token string) error {
	ctx, cancel := context.WithTimeout(context.Background(), c.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s: %s", url, resp.Status, strings.TrimSpace(string(body)))
	}
	return nil
}

// ensureTokens returns the static tokens by user name, creating
// DIR/tokens.csv (kube-apiserver --token-auth-file) and DIR/admin-token once.
func ensureTokens(dir string) (map[string]string, error) {
	csvPath := filepath.Join(dir, "tokens.csv")
	users := []struct{ name, uid, groups string }{
		{"admin", "backtrack-admin", "system:masters"},
		{"system:kube-controller-manager", "backtrack-kube-controller-manager", ""},
		{"system:kube-scheduler", "backtrack-kube-scheduler", ""},
	}
	tokens := map[string]string{}
	if b, err := os.ReadFile(csvPath); err == nil {
		recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
		if err == nil {
			for _, r := range recs {
				if len(r) >= 2 {
					tokens[r[1]] = r[0]
				}
			}
		}
	}
	var sb strings.Builder
	w := csv.NewWriter(&sb)
	for _, u := range users {
		if tokens[u.name] == "" {
			tokens[u.name] = randomToken()
		}
		rec := []string{tokens[u.name], u.name, u.uid}
		if u.groups != "" {
			rec = append(rec, u.groups)
		}
		if err := w.Write(rec); err != nil {
			return nil, err
		}
	}
	w.Flush()
	if err := writeFileAtomic(csvPath, []byte(sb.String()), 0o600); err != nil {
		return nil, err
	}
	if err := writeFileAtomic(filepath.Join(dir, "admin-token"), []byte(tokens["admin"]+"\n"), 0o600); err != nil {
		return nil, err
	}
	return tokens, nil
}

func writeKubeconfig(path, server string, caPEM []byte, user, token string) error {
	kc := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: backtrack
  cluster:
    server: %s
    certificate-authority-data: %s
users:
- name: %s
  user:
    token: %s
contexts:
- name: backtrack
  context:
    cluster: backtrack
    user: %s
    namespace: default
current-context: backtrack
preferences: {}
`, server, base64.StdEncoding.EncodeToString(caPEM), strconv.Quote(user), token, strconv.Quote(user))
	return writeFileAtomic(path, []byte(kc), 0o600)
}

func lastLines(path string, n int) []string {
	f, err := os.Open(path)
	if err != nil {
		return []string{fmt.Sprintf("(cannot read %s: %v)", path, err)}
	}
	defer f.Close()
	var lines []string
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 64*1024), 1024*1024)
	for s.Scan() {
		lines = append(lines, s.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return lines
}

var bindInUse = regexp.MustCompile(`:(\d+): bind: address already in use`)

func portInUse(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		if m := bindInUse.FindStringSubmatch(lines[i]); m != nil {
			return m[1]
		}
	}
	return ""
}
