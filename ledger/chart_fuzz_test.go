package ledger

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// FuzzReadChartCSV: a chart file from outside never panics the reader; it is
// read or refused with *ChartError; what is read writes back and reads again
// to the same accounts.
func FuzzReadChartCSV(f *testing.F) {
	var b bytes.Buffer
	if err := WriteChartCSV(&b, ChartBangladesh()[:8]); err != nil {
		f.Fatal(err)
	}
	f.Add(b.String())
	f.Add("code,name,type\n1010,Cash,asset\n")
	f.Add("\ufeffType,Code,Name,Parent,blocked,currencies\nasset,1,\"Cash, petty\",,yes,bdt usd\n")
	f.Add("code,name\n1,x\n")
	f.Add("code,name,type\n\"1\n0\",x,asset\n")
	f.Fuzz(func(t *testing.T, in string) {
		accounts, err := ReadChartCSV(strings.NewReader(in))
		if err != nil {
			var ce *ChartError
			if !errors.As(err, &ce) {
				t.Fatalf("error is not a *ChartError: %v", err)
			}
			return
		}
		var out bytes.Buffer
		if err := WriteChartCSV(&out, accounts); err != nil {
			t.Fatal(err)
		}
		again, err := ReadChartCSV(&out)
		if err != nil {
			t.Fatalf("written chart does not read back: %v\n%s", err, out.String())
		}
		if len(again) != len(accounts) {
			t.Fatalf("%d accounts read back as %d", len(accounts), len(again))
		}
		for i := range accounts {
			x, _ := normalizeAccount(accounts[i])
			y, _ := normalizeAccount(again[i])
			if !reflect.DeepEqual(x, y) {
				t.Fatalf("account %d: %+v read back as %+v", i, x, y)
			}
		}
	})
}
