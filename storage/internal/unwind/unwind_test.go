package unwind

import (
	"errors"
	"runtime"
	"sync"
	"testing"
)

func TestCall(t *testing.T) {
	boom := errors.New("boom")
	cases := []struct {
		name      string
		fn        func() error
		wantErr   error
		wantPanic any
		wantUndo  bool
	}{
		{"returns nil", func() error { return nil }, nil, nil, false},
		{"returns an error", func() error { return boom }, boom, nil, false},
		{"panics", func() error { panic("p") }, nil, "p", true},
		{"panics with an error", func() error { panic(boom) }, nil, boom, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			undone := 0
			var err error
			p := func() (p any) {
				defer func() { p = recover() }()
				err = Call(c.fn, func() { undone++ })
				return nil
			}()
			if !errors.Is(err, c.wantErr) || (err == nil) != (c.wantErr == nil) {
				t.Fatalf("error %v, want %v", err, c.wantErr)
			}
			if p != c.wantPanic {
				t.Fatalf("panic %v, want %v", p, c.wantPanic)
			}
			if want := map[bool]int{false: 0, true: 1}[c.wantUndo]; undone != want {
				t.Fatalf("undo ran %d times, want %d", undone, want)
			}
		})
	}
}

// TestCallGoexit: runtime.Goexit (what t.FailNow calls) is undone too.
func TestCallGoexit(t *testing.T) {
	undone := 0
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = Call(func() error {
			runtime.Goexit()
			return nil
		}, func() { undone++ })
	}()
	wg.Wait()
	if undone != 1 {
		t.Fatalf("undo ran %d times, want 1", undone)
	}
}
