package storagetest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/erpkit/erpkit/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// ChildEnv is set in the environment of a test binary that
// LedgerProcesses starts as another process. An adapter whose TestMain
// prepares a database should leave that to the parent when it is set.
const ChildEnv = "ERPKIT_LEDGER_CHILD"

const (
	childWhereEnv  = "ERPKIT_LEDGER_CHILD_WHERE"
	childTenantEnv = "ERPKIT_LEDGER_CHILD_TENANT"
	childCountEnv  = "ERPKIT_LEDGER_CHILD_COUNT"
)

// procAccounts are the hot accounts every process posts to.
var procAccounts = func() []ledger.Account {
	types := []ledger.AccountType{ledger.Asset, ledger.Asset, ledger.Asset, ledger.Liability, ledger.Liability,
		ledger.Equity, ledger.Revenue, ledger.Revenue, ledger.Expense, ledger.Expense}
	out := make([]ledger.Account, len(types))
	for i, ty := range types {
		out[i] = ledger.Account{Code: fmt.Sprintf("H%02d", i), Name: fmt.Sprintf("Hot %d", i), Type: ty}
	}
	return out
}()

// procFirst is the first of the 28 days the processes post on.
var procFirst = ledger.MustDate("2026-02-01")

// procEntry is entry i of process p: the same content on every call, so
// that a retry after a crash is the same posting under the same key.
// Dates go back and forth over 28 days; every fourth entry has four lines.
func procEntry(p, i int) ledger.Entry {
	n := len(procAccounts)
	a, b := (i*7+p)%n, (i*3+1)%n
	if a == b {
		b = (b + 1) % n
	}
	c := (a + 5) % n
	amt := decimal.New(int64(100+(i*37+p*13)%9900), -2)
	key := fmt.Sprintf("proc-%d-%d", p, i)
	e := ledger.Entry{Date: procFirst.AddDays(procDay(p, i)), Description: key, IdempotencyKey: key,
		Lines: []ledger.Line{ledger.DebitLine(procAccounts[a].Code, amt, "BDT"), ledger.CreditLine(procAccounts[b].Code, amt, "BDT")}}
	if i%4 == 0 {
		half := decimal.New(int64(1+(i%50)), -1)
		e.Lines = append(e.Lines, ledger.DebitLine(procAccounts[c].Code, half, "BDT"), ledger.CreditLine(procAccounts[a].Code, half, "BDT"))
	}
	return e
}

// procDay is the day of procEntry(p, i), counted from procFirst.
func procDay(p, i int) int { return (i*11 + p*5) % 28 }

// procSizes are how many entries each of procPoster's goroutines posts
// at a time: alone, in batches of five, and (goroutine 3) in batches of
// 500 entries (1,250 lines, which PostgreSQL writes by COPY).
var procSizes = []int{1, 5, 1, 500}

// procPoster posts process p's entries 0..count-1 from the first
// goroutines of procSizes through workers, with try and ack as there.
func procPoster(ctx context.Context, gl *ledger.Ledger, tn string, p, count, goroutines int,
	try func(from, last int), ack func(i int, id uuid.UUID)) error {
	return workers(ctx, count, procSizes[:goroutines], func(from, to int) ([]uuid.UUID, error) {
		return procPost(ctx, gl, tn, p, from, to)
	}, try, ack)
}

// procPost posts process p's entries from..to-1: one alone, more in one
// batch. It returns their IDs.
func procPost(ctx context.Context, gl *ledger.Ledger, tn string, p, from, to int) ([]uuid.UUID, error) {
	es := make([]ledger.Entry, 0, to-from)
	for i := from; i < to; i++ {
		es = append(es, procEntry(p, i))
	}
	if len(es) == 1 {
		e, err := gl.Post(ctx, tn, es[0])
		return []uuid.UUID{e.ID}, err
	}
	got, err := gl.PostBatch(ctx, tn, es)
	if err != nil {
		return nil, fmt.Errorf("process %d, entries %d-%d: %w", p, from, to-1, err)
	}
	ids := make([]uuid.UUID, len(got))
	for k, e := range got {
		ids[k] = e.ID
	}
	return ids, nil
}

// child is a running child process and what it has printed.
type child struct {
	cmd   *exec.Cmd
	mu    sync.Mutex
	acks  map[int]uuid.UUID
	most  int      // greatest index tried, -1 before any
	tries [][2]int // first and last index of each posting tried
	out   strings.Builder
	read  chan struct{} // closed when its output has been read to the end
}

func (c *child) counts() (acks, most int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.acks), c.most
}

// startChild runs the test binary again as process p of the tenant,
// posting count entries (or making count payments, ARProcesses) over the
// store that open opens at where.
func startChild(t *testing.T, where, tn string, p, count int) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.timeout=5m")
	cmd.Env = append(os.Environ(), ChildEnv+"="+strconv.Itoa(p), childWhereEnv+"="+where,
		childTenantEnv+"="+tn, childCountEnv+"="+strconv.Itoa(count))
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	c := &child{cmd: cmd, acks: map[int]uuid.UUID{}, most: -1, read: make(chan struct{})}
	cmd.Stderr = &lockedWriter{c: c}
	require.NoError(t, cmd.Start())
	go func() {
		defer close(c.read)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			c.mu.Lock()
			switch {
			case len(f) == 3 && f[0] == "try":
				from, err1 := strconv.Atoi(f[1])
				last, err2 := strconv.Atoi(f[2])
				if err1 == nil && err2 == nil {
					c.most = max(c.most, last)
					c.tries = append(c.tries, [2]int{from, last})
				}
			case len(f) == 3 && f[0] == "ack":
				i, err1 := strconv.Atoi(f[1])
				id, err2 := uuid.Parse(f[2])
				if err1 == nil && err2 == nil {
					c.acks[i] = id
					break
				}
				fallthrough
			default:
				c.out.WriteString(sc.Text() + "\n")
			}
			c.mu.Unlock()
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	return c
}

// killAfter waits until the child has acknowledged n, then kills it
// (SIGKILL) at a moment of chance, so that runs kill it in different
// states (between postings, waiting for the lock, in a batch, committing),
// and waits for it and its output. It returns false, with the child
// killed and waited for, when the child ended by itself first or 2
// minutes passed.
func (c *child) killAfter(n int) bool {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if acks, _ := c.counts(); acks >= n {
			break
		}
		select {
		case <-c.read: // it ended by itself
		case <-time.After(5 * time.Millisecond):
			if time.Now().Before(deadline) {
				continue
			}
		}
		_ = c.cmd.Process.Kill()
		_ = c.cmd.Wait()
		<-c.read
		return false
	}
	time.Sleep(time.Duration(rand.IntN(40)) * time.Millisecond)
	_ = c.cmd.Process.Kill()
	_ = c.cmd.Wait()
	<-c.read
	return true
}

// crash runs a child over the tenant's store at where, doing count
// things, kills it once it has acknowledged n, and returns what it
// acknowledged and the greatest number it began.
func crash(t *testing.T, where, tn string, count, n int) (acked map[int]uuid.UUID, most int) {
	t.Helper()
	kill := startChild(t, where, tn, 1, count)
	ok := kill.killAfter(n)
	kill.mu.Lock()
	defer kill.mu.Unlock()
	if !ok {
		t.Fatalf("the child ended or ran out of time before acknowledging %d:\n%s", n, kill.out.String())
	}
	require.NotContains(t, kill.out.String(), "FAIL", "the child failed before it was killed")
	return kill.acks, kill.most
}

// workers runs do over the numbers 0..count-1 from one goroutine per
// entry of sizes, each taking that many numbers at a time from one counter
// (fewer at the end), with try(first, last) before a call and ack(i, id)
// for each number after, until count are taken, ctx ends or a call fails;
// it returns the first failure.
func workers(ctx context.Context, count int, sizes []int, do func(from, to int) ([]uuid.UUID, error),
	try func(from, last int), ack func(i int, id uuid.UUID)) error {
	var next atomic.Int64
	errs := make(chan error, len(sizes))
	var wg sync.WaitGroup
	for _, size := range sizes {
		wg.Go(func() {
			for ctx.Err() == nil {
				from := int(next.Add(int64(size))) - size
				to := min(from+size, count)
				if from >= to {
					return
				}
				try(from, to-1)
				ids, err := do(from, to)
				if err != nil {
					errs <- err
					return
				}
				for k, id := range ids {
					ack(from+k, id)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// one is do of one number at a time, as workers calls it.
func one(do func(i int) (uuid.UUID, error)) func(from, to int) ([]uuid.UUID, error) {
	return func(from, _ int) ([]uuid.UUID, error) {
		id, err := do(from)
		return []uuid.UUID{id}, err
	}
}

// childWork is a child's side of the process tests: do over 0..count-1
// (count from the environment) through workers of sizes, with "try first
// last" and "ack i id" lines on stdout, one write each, which startChild
// reads.
func childWork(t *testing.T, sizes []int, do func(from, to int) ([]uuid.UUID, error)) {
	count, err := strconv.Atoi(os.Getenv(childCountEnv))
	require.NoError(t, err)
	var mu sync.Mutex
	say := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		_, _ = os.Stdout.WriteString(s)
	}
	require.NoError(t, workers(context.Background(), count, sizes, do,
		func(from, last int) { say("try " + strconv.Itoa(from) + " " + strconv.Itoa(last) + "\n") },
		func(i int, id uuid.UUID) { say("ack " + strconv.Itoa(i) + " " + id.String() + "\n") }))
}

// childWhere and childTenant are, in a child, where its store is and its
// tenant.
func childWhere() string  { return os.Getenv(childWhereEnv) }
func childTenant() string { return os.Getenv(childTenantEnv) }

type lockedWriter struct{ c *child }

func (w *lockedWriter) Write(b []byte) (int, error) {
	w.c.mu.Lock()
	defer w.c.mu.Unlock()
	return w.c.out.Write(b)
}

// runChild is the child's side of LedgerProcesses: it posts process p's
// entries (p from the environment) through childWork.
func runChild(t *testing.T, open func(t testing.TB, where string) ledger.Store) {
	p, err := strconv.Atoi(os.Getenv(ChildEnv))
	require.NoError(t, err)
	gl := ledger.New(open(t, childWhere()), ledger.Config{})
	childWork(t, procSizes, func(from, to int) ([]uuid.UUID, error) {
		return procPost(context.Background(), gl, childTenant(), p, from, to)
	})
}

// LedgerProcesses posts from several operating-system processes over one
// database, and kills one of them while it posts, as a crash would. It
// must be called from a top-level test function, which it runs again as
// the child processes (ChildEnv set): open opens a store over where (a
// file, a connection string) in whichever process runs it.
//
// First two children and the test's own process post at once, dates back
// and forth, alone and in batches (of 500 too): every posting must be
// acknowledged and every balance, as of every day, must be exactly the
// sum of the plan. Then a child is killed (SIGKILL) while it and the test
// post. A store opened afterwards, as by a restarted process, must hold
// every posting the child acknowledged, under the ID it was given, every
// batch it began whole or not at all, and books that balance; and
// retrying every posting the child may have begun, with the same keys
// and content, must post each exactly once: no acknowledged posting is
// lost and none in doubt is posted twice.
func LedgerProcesses(t *testing.T, where string, open func(t testing.TB, where string) ledger.Store) {
	if os.Getenv(ChildEnv) != "" {
		runChild(t, open)
		return
	}
	ctx := context.Background()
	st := open(t, where)
	gl := ledger.New(st, ledger.Config{})
	tn := tenant(t)
	for _, a := range procAccounts {
		_, err := gl.CreateAccount(ctx, tn, a)
		require.NoError(t, err)
	}
	plan := map[int]int{} // process -> entries 0..n-1 it posted
	noTry := func(int, int) {}

	// Three processes at once.
	const each = 150
	kids := []*child{startChild(t, where, tn, 1, each), startChild(t, where, tn, 2, each)}
	require.NoError(t, procPoster(ctx, gl, tn, 0, each, 4, noTry, func(int, uuid.UUID) {}))
	plan[0] = each
	for p, c := range kids {
		err := c.cmd.Wait()
		<-c.read
		acks, _ := c.counts()
		require.NoError(t, err, "child %d:\n%s", p+1, c.out.String())
		require.Equal(t, each, acks, "child %d acknowledged", p+1)
		plan[p+1] = each
	}
	checkPlan(t, ctx, st, tn, plan)

	// A child killed while it posts, beside the test's own postings.
	kill := startChild(t, where, tn, 3, 1_000_000)
	stop, cancel := context.WithCancel(ctx)
	var tried atomic.Int64 // 1 + the greatest index the test began
	done := make(chan error, 1)
	go func() {
		// At most 100: on SQLite, whose write lock is not handed out fairly
		// between processes, an unbounded stream here would slow the child
		// (docs/ledger.md, Concurrency).
		done <- procPoster(stop, gl, tn, 4, 100, 2, func(_, i int) {
			for n := tried.Load(); int64(i) >= n && !tried.CompareAndSwap(n, int64(i)+1); n = tried.Load() {
			}
		}, func(int, uuid.UUID) {})
	}()
	if !kill.killAfter(120) {
		cancel()
		<-done
		kill.mu.Lock()
		defer kill.mu.Unlock()
		t.Fatalf("the child ended or ran out of time before acknowledging 120 postings:\n%s", kill.out.String())
	}
	cancel()
	if err := <-done; err != nil {
		require.ErrorIs(t, err, context.Canceled)
	}
	kill.mu.Lock()
	acked, most, tries, out := kill.acks, kill.most, kill.tries, kill.out.String()
	kill.mu.Unlock()
	require.NotContains(t, out, "FAIL", "the child failed before it was killed")
	require.GreaterOrEqual(t, most, len(acked)-1)

	// A store opened after the crash holds every acknowledged posting.
	after := open(t, where)
	keys := make([]string, 0, most+1)
	for i := 0; i <= most; i++ {
		keys = append(keys, procEntry(3, i).IdempotencyKey)
	}
	found, err := after.EntriesByKey(ctx, tn, keys)
	require.NoError(t, err)
	byKey := map[string]uuid.UUID{}
	for _, e := range found {
		byKey[e.IdempotencyKey] = e.ID
	}
	for i, id := range acked {
		require.Equal(t, id, byKey[procEntry(3, i).IdempotencyKey], "acknowledged entry %d", i)
	}
	// A batch is stored whole or not at all, even when killed midway.
	for _, r := range tries {
		n := 0
		for i := r[0]; i <= r[1]; i++ {
			if _, ok := byKey[procEntry(3, i).IdempotencyKey]; ok {
				n++
			}
		}
		require.True(t, n == 0 || n == r[1]-r[0]+1, "entries %d-%d: %d stored", r[0], r[1], n)
	}
	t.Logf("%s: child killed after %d acknowledged of %d begun; %d stored; %d begun by the test meanwhile",
		t.Name(), len(acked), most+1, len(found), tried.Load())

	// The test's own postings cut short by its cancel are in doubt too:
	// retried with the child's.
	gl2 := ledger.New(after, ledger.Config{})
	retry := func(p, n int) {
		for from := 0; from < n; from += 50 {
			es := make([]ledger.Entry, 0, 50)
			for i := from; i < min(from+50, n); i++ {
				es = append(es, procEntry(p, i))
			}
			got, err := gl2.PostBatch(ctx, tn, es)
			require.NoError(t, err, "retry of %d-%d", from, from+len(es)-1)
			for k, e := range got {
				if id, ok := acked[from+k]; ok && p == 3 {
					require.Equal(t, id, e.ID, "retry of acknowledged entry %d returned another entry", from+k)
				}
			}
		}
		plan[p] = n
	}
	retry(4, int(tried.Load()))
	retry(3, most+1)
	// Nothing beyond what the child began is stored.
	beyond, err := after.EntriesByKey(ctx, tn, []string{procEntry(3, most+1).IdempotencyKey, procEntry(3, most+2).IdempotencyKey})
	require.NoError(t, err)
	require.Empty(t, beyond)
	checkPlan(t, ctx, after, tn, plan)
}

// checkPlan checks that the tenant holds exactly the entries of plan
// (process -> entries 0..n-1), once each, and that every balance, current
// and as of each of the 28 days, is the plan's sum.
func checkPlan(t *testing.T, ctx context.Context, st ledger.Store, tn string, plan map[int]int) {
	t.Helper()
	gl := ledger.New(st, ledger.Config{})
	want := make([]map[string]decimal.Decimal, 28) // day -> account -> debit - credit up to that day
	total := 0
	for d := range want {
		want[d] = map[string]decimal.Decimal{}
	}
	for p, n := range plan {
		total += n
		for i := range n {
			e := procEntry(p, i)
			from := procDay(p, i)
			for _, l := range e.Lines {
				v := l.Amount
				if l.Side == ledger.Credit {
					v = v.Neg()
				}
				for d := from; d < 28; d++ {
					want[d][l.Account] = want[d][l.Account].Add(v)
				}
			}
		}
	}
	require.Equal(t, total, len(allEntries(t, ctx, gl, tn)), "entries stored")
	check := func(asOf ledger.Date, w map[string]decimal.Decimal) {
		bs, err := gl.Balances(ctx, tn, ledger.BalanceQuery{AsOf: asOf})
		require.NoError(t, err)
		got := map[string]decimal.Decimal{}
		for _, b := range bs {
			got[b.Account] = b.Debit.Sub(b.Credit)
		}
		for acc, v := range w {
			require.Truef(t, v.Equal(got[acc]), "%s as of %s: stored %s, plan %s", acc, asOf, got[acc], v)
		}
		require.Len(t, got, len(w), "balances as of %s", asOf)
	}
	for d := range want {
		check(procFirst.AddDays(d), want[d])
	}
	check(ledger.Date{}, want[27])
}
