package storagetest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	erpsync "github.com/erpkit/erpkit/sync"
	"github.com/erpkit/erpkit/sync/syncclient"
	"github.com/erpkit/erpkit/sync/synchttp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// syBenchServer serves st's sync engine over HTTP on loopback for one
// tenant; the caller closes it.
func syBenchServer(st erpsync.Store, tn string, perTx int) (*erpsync.Server, *httptest.Server) {
	srv := syServer(st, erpsync.Config{MutationsPerTx: perTx})
	h := synchttp.New(srv, synchttp.Config{Auth: func(*http.Request) (erpsync.Caller, error) {
		return erpsync.Caller{Tenant: tn, User: "bench"}, nil
	}})
	return srv, httptest.NewServer(h)
}

// syBenchClients opens n clients, each with per mutations queued
// ("counter.add" of 1 to an entity of its own, or to one of hot shared
// entities when hot > 0).
func syBenchClients(b *testing.B, url string, n, per, hot int) []*syncclient.Client {
	ctx := context.Background()
	dir := b.TempDir()
	out := make([]*syncclient.Client, n)
	for k := range n {
		id := fmt.Sprintf("dev%03d", k)
		cl, err := syncclient.Open(ctx, filepath.Join(dir, id+".db"), syncclient.Config{
			BaseURL: url, ClientGroupID: id, ClientID: id, MinBackoff: 10 * time.Millisecond, MaxBackoff: time.Second,
		})
		require.NoError(b, err)
		b.Cleanup(func() { _ = cl.Close() })
		for i := range per {
			ent := "own-" + id
			if hot > 0 {
				ent = fmt.Sprintf("hot%d", (i+k)%hot)
			}
			_, err := cl.Enqueue(ctx, "counter.add", map[string]string{"id": ent, "amount": "1"})
			require.NoError(b, err)
		}
		out[k] = cl
	}
	return out
}

// syBenchCheck verifies every client's mutations applied exactly once.
func syBenchCheck(b *testing.B, st erpsync.Store, srv *erpsync.Server, tn string, clients []*syncclient.Client, per, hot int) {
	ctx := context.Background()
	dups := 0
	for _, cl := range clients {
		_, id := cl.ID()
		n, err := cl.Pending(ctx)
		require.NoError(b, err)
		require.Zero(b, n)
		var seq int64
		for {
			rs, err := srv.Results(ctx, erpsync.Caller{Tenant: tn, User: "bench"}, id, seq, 1000)
			require.NoError(b, err)
			if len(rs) == 0 {
				break
			}
			for _, r := range rs {
				require.Equal(b, seq+1, r.Seq)
				require.Equal(b, erpsync.Applied, r.Status)
				seq = r.Seq
			}
		}
		require.EqualValues(b, per, seq, "one result per mutation")
		if hot > 0 {
			continue
		}
		q := syQtyOf(st.(SyncStore), tn, "own-"+id)
		if d := q.Sub(decimal.NewFromInt(int64(per))); d.IsPositive() {
			dups += int(d.IntPart())
		}
		require.True(b, q.Equal(decimal.NewFromInt(int64(per))), "client %s: %s applied of %d", id, q, per)
	}
	if hot > 0 {
		total := decimal.Zero
		for i := range hot {
			total = total.Add(syQtyOf(st.(SyncStore), tn, fmt.Sprintf("hot%d", i)))
		}
		want := decimal.NewFromInt(int64(len(clients) * per))
		if d := total.Sub(want); d.IsPositive() {
			dups += int(d.IntPart())
		}
		require.True(b, total.Equal(want), "%s applied of %s", total, want)
	}
	b.ReportMetric(float64(dups), "duplicates")
}

// BenchSyncDrain: one client with 10,000 queued mutations drains them over
// HTTP on loopback (batches of 100, each applied in one server
// transaction). The goal is under 10 s per drain (docs/bench/sync.md).
func BenchSyncDrain(b *testing.B, st SyncStore) {
	syBench(b, st, 1, 10000, 0, 0)
}

// BenchSyncClients: 100 clients with 100 queued mutations each drain at
// once. The goal is under 30 s.
func BenchSyncClients(b *testing.B, st SyncStore) {
	syBench(b, st, 100, 100, 0, 0)
}

// BenchSyncHot: 100 clients x 100 mutations at once, all adjusting 10
// shared entities (in different orders), with whole batches per
// transaction (perTx 0) or one mutation per transaction (perTx 1).
func BenchSyncHot(b *testing.B, st SyncStore, perTx int) {
	syBench(b, st, 100, 100, 10, perTx)
}

func syBench(b *testing.B, st SyncStore, n, per, hot, perTx int) {
	ctx := context.Background()
	var total time.Duration
	for range b.N {
		b.StopTimer()
		tn := tenant(b)
		srv, ts := syBenchServer(st, tn, perTx)
		clients := syBenchClients(b, ts.URL, n, per, hot)
		b.StartTimer()
		start := time.Now()
		var wg sync.WaitGroup
		errs := make([]error, n)
		for k, cl := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[k] = cl.Flush(ctx)
			}()
		}
		wg.Wait()
		total += time.Since(start)
		b.StopTimer()
		require.NoError(b, errors.Join(errs...))
		syBenchCheck(b, st, srv, tn, clients, per, hot)
		ts.Close()
		b.StartTimer()
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s/drain")
	b.ReportMetric(float64(n*per*b.N)/total.Seconds(), "mutations/s")
}
