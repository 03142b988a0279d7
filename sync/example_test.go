package sync_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/erpkit/erpkit/storage/sqlite"
	erpsync "github.com/erpkit/erpkit/sync"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// A stock issue queued offline is pushed twice (the first answer was lost):
// it is applied once.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "erpsync")
	defer os.RemoveAll(dir)
	st, err := sqlite.Open(ctx, filepath.Join(dir, "erp.db"))
	if err != nil {
		panic(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		panic(err)
	}
	srv := erpsync.New(st, erpsync.Config{
		Policies: map[string]erpsync.Policy{"stock": {Strategy: erpsync.Adjustment}},
	})
	srv.Register("stock.issue", func(ctx context.Context, mc *erpsync.Context) error {
		var a struct {
			Item string          `json:"item"`
			Qty  decimal.Decimal `json:"qty"`
		}
		if err := mc.Args(&a); err != nil {
			return err
		}
		e, err := mc.Adjust(ctx, erpsync.EntityRef{Type: "stock", ID: a.Item},
			erpsync.Delta{Field: "qty", Amount: a.Qty.Neg(), Reason: "issue " + a.Qty.String()})
		if err != nil {
			return err
		}
		if q, _ := erpsync.DecimalField(e.Fields["qty"]); q.IsNegative() {
			return fmt.Errorf("not enough %s in stock", a.Item)
		}
		return nil
	})
	caller := erpsync.Caller{Tenant: "mine-site", User: "storekeeper"}
	receive := erpsync.Mutation{Seq: 1, ID: uuid.New(), Name: "stock.issue", Args: json.RawMessage(`{"item":"DIESEL","qty":"-500"}`)}
	issue := erpsync.Mutation{Seq: 2, ID: uuid.New(), Name: "stock.issue", Args: json.RawMessage(`{"item":"DIESEL","qty":"120"}`)}
	push := erpsync.Push{ClientGroupID: "tablet-7", ClientID: "tablet-7/app", Mutations: []erpsync.Mutation{receive, issue}}
	for range 2 {
		res, err := srv.Push(ctx, caller, push)
		if err != nil {
			panic(err)
		}
		fmt.Println("acknowledged through seq", res.LastSeq, res.Results[0].Status, res.Results[1].Status)
	}
	e, _ := srv.Entity(ctx, caller, erpsync.EntityRef{Type: "stock", ID: "DIESEL"})
	fmt.Println("diesel:", string(e.Fields["qty"]), "version", e.Version)
	page, _ := srv.Pull(ctx, caller, erpsync.PullRequest{Cursor: 0})
	for _, ev := range page.Events {
		fmt.Println(ev.Cursor, ev.Type, ev.Entity)
	}
	// Output:
	// acknowledged through seq 2 applied applied
	// acknowledged through seq 2 already_applied already_applied
	// diesel: "380" version 2
	// 1 sync.entity.adjusted stock/DIESEL
	// 2 sync.entity.adjusted stock/DIESEL
}
