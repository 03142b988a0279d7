package syncclient_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/erpkit/erpkit/sync/syncclient"
)

// Forms queue durably while the device is offline; Flush sends them when
// the server is reachable.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "syncclient")
	defer os.RemoveAll(dir)
	cl, err := syncclient.Open(ctx, filepath.Join(dir, "device.db"), syncclient.Config{
		BaseURL: "http://127.0.0.1:1/sync", ClientGroupID: "tablet-7", ClientID: "tablet-7/forms",
	})
	if err != nil {
		panic(err)
	}
	defer cl.Close()
	for _, qty := range []string{"3", "5"} {
		m, err := cl.Enqueue(ctx, "stock.issue", map[string]string{"item": "BOLT-M20", "qty": qty})
		if err != nil {
			panic(err)
		}
		fmt.Println("queued seq", m.Seq)
	}
	n, _ := cl.Pending(ctx)
	fmt.Println("pending:", n)
	// Output:
	// queued seq 1
	// queued seq 2
	// pending: 2
}
