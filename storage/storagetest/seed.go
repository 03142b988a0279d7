package storagetest

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/leanovate/gopter"
)

// PropertySeed returns the seed of a property test, the suite's or an
// adapter package's own: ERPKIT_SEED when set, else the clock. The seed is
// logged when the test fails, so that ERPKIT_SEED=<seed> replays the run.
func PropertySeed(t testing.TB) int64 {
	t.Helper()
	seed := time.Now().UnixNano()
	if s := os.Getenv("ERPKIT_SEED"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("ERPKIT_SEED=%q: %v", s, err)
		}
		seed = v
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("%s: replay with ERPKIT_SEED=%d", t.Name(), seed)
		}
	})
	return seed
}

// propertyParams returns gopter parameters seeded by PropertySeed that run
// at least min cases.
func propertyParams(t testing.TB, min int) *gopter.TestParameters {
	p := gopter.DefaultTestParametersWithSeed(PropertySeed(t))
	p.MinSuccessfulTests = min
	p.MaxShrinkCount = 5
	return p
}
