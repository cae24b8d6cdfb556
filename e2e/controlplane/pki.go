package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// pki holds the paths of the files that `up` generates (once) in DIR/pki.
type pki struct {
	CACert, CAKey           string
	ServingCert, ServingKey string
	SAKey, SAPub            string
}

func newPKI(dir string) pki {
	p := filepath.Join(dir, "pki")
	return pki{
		CACert: filepath.Join(p, "ca.crt"), CAKey: filepath.Join(p, "ca.key"),
		ServingCert: filepath.Join(p, "apiserver.crt"), ServingKey: filepath.Join(p, "apiserver.key"),
		SAKey: filepath.Join(p, "sa.key"), SAPub: filepath.Join(p, "sa.pub"),
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// ensure generates whatever is missing; files already in DIR/pki are kept so
// that `up` can be run again on the same DIR (etcd data stays valid).
func (p pki) ensure() error {
	if err := os.MkdirAll(filepath.Dir(p.CACert), 0o700); err != nil {
		return err
	}
	if !exists(p.CACert) || !exists(p.CAKey) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return err
		}
		now := time.Now()
		tmpl := &x509.Certificate{
			SerialNumber:          serial(),
			Subject:               pkix.Name{CommonName: "backtrack-controlplane-ca"},
			NotBefore:             now.Add(-time.Hour),
			NotAfter:              now.Add(10 * 365 * 24 * time.Hour),
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
			BasicConstraintsValid: true,
			IsCA:                  true,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			return err
		}
		if err := writeKey(p.CAKey, key); err != nil {
			return err
		}
		if err := writePEM(p.CACert, "CERTIFICATE", der, 0o644); err != nil {
			return err
		}
		// A new CA invalidates the old serving cert.
		_ = os.Remove(p.ServingCert)
	}
	if !exists(p.ServingCert) || !exists(p.ServingKey) {
		caCert, caKey, err := p.loadCA()
		if err != nil {
			return err
		}
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return err
		}
		now := time.Now()
		tmpl := &x509.Certificate{
			SerialNumber: serial(),
			Subject:      pkix.Name{CommonName: "kube-apiserver"},
			NotBefore:    now.Add(-time.Hour),
			NotAfter:     now.Add(10 * 365 * 24 * time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
			ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
			DNSNames: []string{"localhost", "kubernetes", "kubernetes.default",
				"kubernetes.default.svc", "kubernetes.default.svc.cluster.local"},
			// 10.0.0.1 is the `kubernetes` Service's ClusterIP in --service-cluster-ip-range.
			IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.IPv6loopback, net.ParseIP("10.0.0.1")},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
		if err != nil {
			return err
		}
		if err := writeKey(p.ServingKey, key); err != nil {
			return err
		}
		if err := writePEM(p.ServingCert, "CERTIFICATE", der, 0o644); err != nil {
			return err
		}
	}
	if !exists(p.SAKey) || !exists(p.SAPub) {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return err
		}
		if err := writePEM(p.SAKey, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key), 0o600); err != nil {
			return err
		}
		pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
		if err != nil {
			return err
		}
		if err := writePEM(p.SAPub, "PUBLIC KEY", pub, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func (p pki) loadCA() (*x509.Certificate, crypto.Signer, error) {
	cb, err := os.ReadFile(p.CACert)
	if err != nil {
		return nil, nil, err
	}
	blk, _ := pem.Decode(cb)
	if blk == nil {
		return nil, nil, errors.New("ca.crt: no PEM block")
	}
	cert, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		return nil, nil, err
	}
	kb, err := os.ReadFile(p.CAKey)
	if err != nil {
		return nil, nil, err
	}
	kblk, _ := pem.Decode(kb)
	if kblk == nil {
		return nil, nil, errors.New("ca.key: no PEM block")
	}
	key, err := x509.ParseECPrivateKey(kblk.Bytes)
	if err != nil {
		return nil, nil, fmt.Errorf("ca.key: %w", err)
	}
	return cert, key, nil
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		panic(err)
	}
	return n
}

func writeKey(path string, key *ecdsa.PrivateKey) error {
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	return writePEM(path, "EC PRIVATE KEY", der, 0o600)
}

func writePEM(path, typ string, der []byte, mode os.FileMode) error {
	return writeFileAtomic(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), mode)
}

// writeFileAtomic writes via a temporary file and a rename, so a reader never
// sees a half-written file.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, mode); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func randomToken() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
