package sqlite_test

import (
	"testing"

	"github.com/erpkit/erpkit/storage/storagetest"
)

func BenchmarkLedger(b *testing.B) { storagetest.BenchLedger(b, harness(b)) }
