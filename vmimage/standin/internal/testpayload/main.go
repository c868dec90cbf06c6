// Command testpayload is a minimal appliance payload for testing the stand-in's init without
// the simulator: it serves HTTPS on --listen with a self-signed certificate, counts boots in
// --state (so tests see that the data disk keeps what it wrote), answers
// GET /api/v2/system/version, and exits on POST /api/v2/diagnostics/halt_system or SIGTERM
// after saving the state.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"flag"
	"fmt"
	"math/big"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	listen := flag.String("listen", ":443", "address")
	state := flag.String("state", "", "file counting boots")
	flag.Parse()
	boots := 1
	if b, err := os.ReadFile(*state); err == nil {
		n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		boots = n + 1
	}
	save := func() {
		if *state != "" {
			if err := os.WriteFile(*state, []byte(strconv.Itoa(boots)+"\n"), 0o600); err != nil {
				fmt.Fprintln(os.Stderr, "testpayload: save:", err)
			}
		}
	}
	cert, err := selfSigned()
	if err != nil {
		fmt.Fprintln(os.Stderr, "testpayload:", err)
		os.Exit(1)
	}
	stop := make(chan string, 1)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2/system/version", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"code": 200, "status": "ok", "data": map[string]any{"version": "testpayload", "boots": boots}})
	})
	mux.HandleFunc("POST /api/v2/diagnostics/halt_system", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"code":200,"status":"ok","data":{}}`))
		stop <- "halt"
	})
	srv := &http.Server{Addr: *listen, Handler: mux, TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}}}
	go func() {
		if err := srv.ListenAndServeTLS("", ""); err != http.ErrServerClosed {
			fmt.Fprintln(os.Stderr, "testpayload:", err)
			stop <- "error"
		}
	}()
	fmt.Fprintf(os.Stderr, "testpayload: serving https on %s, boot %d\n", *listen, boots)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	select {
	case why := <-stop:
		fmt.Fprintln(os.Stderr, "testpayload: stopping:", why)
	case s := <-sigs:
		fmt.Fprintln(os.Stderr, "testpayload: stopping:", s)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
	save()
}

func selfSigned() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "testpayload"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
