package sqlite_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/sqlite"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// BenchmarkOtherProcessWait measures how long a process's postings wait
// for the write lock while another process posts to the same file
// without pause (two goroutines): this benchmark's process posts, and a
// child process (the test binary run again) posts b.N entries one after
// the other and reports each one's time. Metrics: the child's median,
// 99th percentile and longest posting in ms, and the entries this
// process posted meanwhile. Nothing is asserted.
func BenchmarkOtherProcessWait(b *testing.B) {
	ctx := context.Background()
	post := func(gl *ledger.Ledger, i int) error {
		amt := decimal.New(int64(100+i%500), -2)
		_, err := gl.Post(ctx, "t1", ledger.Entry{Date: ledger.MustDate("2026-02-01").AddDays(i % 28), Description: "wait",
			Lines: []ledger.Line{ledger.DebitLine("A"+strconv.Itoa(i%10), amt, "BDT"), ledger.CreditLine("B"+strconv.Itoa(i%10), amt, "BDT")}})
		return err
	}
	open := func(path string) *sqlite.Store {
		st, err := sqlite.Open(ctx, path)
		require.NoError(b, err)
		b.Cleanup(func() { _ = st.Close() })
		return st
	}
	if path := os.Getenv("ERPKIT_WAIT_CHILD"); path != "" {
		n, err := strconv.Atoi(os.Getenv("ERPKIT_WAIT_N"))
		require.NoError(b, err)
		gl := ledger.New(open(path), ledger.Config{})
		for i := range n {
			t0 := time.Now()
			err := post(gl, i)
			fmt.Printf("took %d %t\n", time.Since(t0).Microseconds(), err == nil)
		}
		return
	}
	path := filepath.Join(b.TempDir(), "wait.db")
	st := open(path)
	require.NoError(b, st.Migrate(ctx))
	gl := ledger.New(st, ledger.Config{})
	for i := range 10 {
		_, err := gl.CreateAccount(ctx, "t1", ledger.Account{Code: "A" + strconv.Itoa(i), Name: "a", Type: ledger.Asset})
		require.NoError(b, err)
		_, err = gl.CreateAccount(ctx, "t1", ledger.Account{Code: "B" + strconv.Itoa(i), Name: "b", Type: ledger.Revenue})
		require.NoError(b, err)
	}
	stop := make(chan struct{})
	var posted atomic.Int64
	var wg sync.WaitGroup
	for g := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; ; i += 2 {
				select {
				case <-stop:
					return
				default:
				}
				if err := post(gl, i); err != nil {
					b.Error(err)
					return
				}
				posted.Add(1)
			}
		}()
	}
	time.Sleep(200 * time.Millisecond)
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^BenchmarkOtherProcessWait$", "-test.benchtime=1x")
	cmd.Env = append(os.Environ(), "ERPKIT_WAIT_CHILD="+path, "ERPKIT_WAIT_N="+strconv.Itoa(b.N))
	out, err := cmd.StdoutPipe()
	require.NoError(b, err)
	b.ResetTimer()
	before := posted.Load()
	require.NoError(b, cmd.Start())
	var took []int
	failed := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var us int
		var ok bool
		if _, err := fmt.Sscanf(sc.Text(), "took %d %t", &us, &ok); err == nil {
			took = append(took, us)
			if !ok {
				failed++
			}
		}
	}
	require.NoError(b, cmd.Wait())
	b.StopTimer()
	close(stop)
	wg.Wait()
	require.Len(b, took, b.N)
	require.Zero(b, failed, "the child's postings that failed")
	slices.Sort(took)
	ms := func(q float64) float64 { return float64(took[int(q*float64(len(took)-1))]) / 1000 }
	b.ReportMetric(ms(0.5), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
	b.ReportMetric(ms(1), "max-ms")
	b.ReportMetric(float64(posted.Load()-before), "other-entries")
}
