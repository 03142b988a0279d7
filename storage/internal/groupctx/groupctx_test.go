package groupctx

import (
	"context"
	"testing"
	"time"
)

// done reports whether ctx ends within a second (it is cancelled from the
// callbacks of context.AfterFunc, which run in goroutines of their own).
func done(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return true
	case <-time.After(time.Second):
		return false
	}
}

func TestAllEndsWhenEveryContextHas(t *testing.T) {
	a, cancelA := context.WithCancel(context.Background())
	b, cancelB := context.WithCancel(context.Background())
	ctx, stop := All([]context.Context{a, b})
	defer stop()
	cancelA()
	select {
	case <-ctx.Done():
		t.Fatal("ended while one caller still waits")
	case <-time.After(50 * time.Millisecond):
	}
	cancelB()
	if !done(ctx) {
		t.Fatal("not ended after every caller gave up")
	}
}

func TestAllNeverEndsWithAPatientCaller(t *testing.T) {
	a, cancelA := context.WithCancel(context.Background())
	cancelA()
	ctx, stop := All([]context.Context{a, context.Background()})
	select {
	case <-ctx.Done():
		t.Fatal("ended although one caller has no deadline")
	case <-time.After(50 * time.Millisecond):
	}
	stop()
}

func TestAllOfDoneContexts(t *testing.T) {
	a, cancelA := context.WithCancel(context.Background())
	cancelA()
	ctx, stop := All([]context.Context{a})
	defer stop()
	if !done(ctx) {
		t.Fatal("a group whose only caller had gone did not end")
	}
}

func TestAnyEndsWithTheFirstContext(t *testing.T) {
	a, cancelA := context.WithCancel(context.Background())
	defer cancelA()
	b, cancelB := context.WithCancel(context.Background())
	ctx, stop := Any([]context.Context{a, context.Background(), b})
	defer stop()
	select {
	case <-ctx.Done():
		t.Fatal("ended before any caller gave up")
	case <-time.After(50 * time.Millisecond):
	}
	cancelB()
	if !done(ctx) {
		t.Fatal("not ended after one caller gave up")
	}
}

func TestAnyOfPatientContexts(t *testing.T) {
	ctx, stop := Any([]context.Context{context.Background(), context.Background()})
	select {
	case <-ctx.Done():
		t.Fatal("ended although no caller can give up")
	case <-time.After(50 * time.Millisecond):
	}
	stop()
}
