package archtest

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/erpkit/erpkit"

// The domain packages known today: they hold the engines' rules and their
// Store interfaces, and never touch a database or the network themselves.
// Every package of the module that is not an adapter, a program or
// internal is checked as one; these must be among them.
var domain = []string{"ledger", "ledger/arap", "vat", "inventory", "equipment", "equipment/maintenance", "payroll",
	"payroll/formula", "sync"}

// forbidden reports why a domain package may not depend on pkg ("" when
// it may): database/sql (its driver interfaces, which decimal and uuid
// implement, are allowed), the database drivers, net/http, and the
// adapters and programs that import the domain (the dependency points
// one way).
func forbidden(pkg string) string {
	switch {
	case pkg == "database/sql":
		return "database/sql"
	case pkg == "net/http" || strings.HasPrefix(pkg, "net/http/"):
		return "net/http"
	case strings.HasPrefix(pkg, "github.com/jackc/"), strings.HasPrefix(pkg, "modernc.org/sqlite"):
		return "a database driver"
	case strings.HasPrefix(pkg, module+"/storage"), strings.HasPrefix(pkg, module+"/examples"),
		strings.HasPrefix(pkg, module+"/sync/synchttp"), strings.HasPrefix(pkg, module+"/sync/syncclient"):
		return "an adapter or program, which imports the domain"
	}
	return ""
}

// TestDomainImports checks every domain package's dependencies, direct and
// indirect (not its tests'), as go list reports them.
func TestDomainImports(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	out, err := exec.Command(goTool, "list", module+"/...").CombinedOutput()
	require.NoError(t, err, "%s", out)
	var checked []string
	for _, p := range strings.Fields(string(out)) {
		if forbidden(p) == "" && !strings.HasPrefix(p, module+"/internal/") {
			checked = append(checked, strings.TrimPrefix(p, module+"/"))
		}
	}
	require.Subset(t, checked, domain)
	for _, p := range checked {
		t.Run(p, func(t *testing.T) {
			cmd := exec.Command(goTool, "list", "-deps", "-f", "{{.ImportPath}}", module+"/"+p)
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s", out)
			deps := strings.Fields(string(out))
			require.Contains(t, deps, module+"/"+p, "go list listed the package itself")
			for _, d := range deps {
				if why := forbidden(d); why != "" {
					t.Errorf("%s depends on %s (%s)", p, d, why)
				}
			}
		})
	}
}

// TestForbidden checks the rule itself on known cases, so that a change
// to it that lets everything through fails here.
func TestForbidden(t *testing.T) {
	for _, p := range []string{"database/sql", "net/http", "net/http/httptest", "github.com/jackc/pgx/v5",
		"modernc.org/sqlite", module + "/storage/sqlite", module + "/examples/quickstart", module + "/sync/synchttp"} {
		require.NotEmpty(t, forbidden(p), p)
	}
	for _, p := range []string{"database/sql/driver", "github.com/shopspring/decimal", "github.com/google/uuid",
		module + "/ledger", module + "/vat", "net/url", "encoding/json"} {
		require.Empty(t, forbidden(p), p)
	}
}
