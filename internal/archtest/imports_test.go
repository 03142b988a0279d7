package archtest

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
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

// goList runs go list with args and returns the words it printed.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	tool, err := exec.LookPath("go")
	if err != nil {
		tool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	out, err := exec.Command(tool, append([]string{"list"}, args...)...).CombinedOutput()
	require.NoError(t, err, "%s", out)
	return strings.Fields(string(out))
}

// domainPackages returns the module's domain packages (relative to the
// module): every package that is not an adapter, a program or internal.
func domainPackages(t *testing.T) []string {
	var out []string
	for _, p := range goList(t, module+"/...") {
		if forbidden(p) == "" && !strings.HasPrefix(p, module+"/internal/") {
			out = append(out, strings.TrimPrefix(p, module+"/"))
		}
	}
	require.Subset(t, out, domain)
	return out
}

// TestDomainImports checks every domain package's dependencies, direct and
// indirect (not its tests'), as go list reports them.
func TestDomainImports(t *testing.T) {
	for _, p := range domainPackages(t) {
		t.Run(p, func(t *testing.T) {
			deps := goList(t, "-deps", "-f", "{{.ImportPath}}", module+"/"+p)
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

// direction is ARCHITECTURE.md's dependency direction among the domain
// packages: what each may depend on of ours, directly or not. ledger, vat
// and sync import none of the engines; inventory, equipment and payroll
// may import ledger and vat; equipment/maintenance may import inventory.
var direction = map[string][]string{
	"ledger":                {},
	"vat":                   {},
	"sync":                  {},
	"payroll/formula":       {},
	"ledger/arap":           {"ledger", "vat"},
	"inventory":             {"ledger", "vat"},
	"equipment":             {"ledger", "vat"},
	"payroll":               {"ledger", "vat", "payroll/formula"},
	"equipment/maintenance": {"ledger", "vat", "inventory", "equipment"},
}

// TestDependencyDirection checks the direction over every domain
// package's dependencies, direct and indirect; a new domain package must
// be given its place in direction.
func TestDependencyDirection(t *testing.T) {
	for _, p := range domainPackages(t) {
		allowed, ok := direction[p]
		require.True(t, ok, "%s has no place in direction", p)
		t.Run(p, func(t *testing.T) {
			for _, d := range goList(t, "-deps", "-f", "{{.ImportPath}}", module+"/"+p) {
				ours, found := strings.CutPrefix(d, module+"/")
				if !found || ours == p || strings.HasPrefix(ours, "internal/") {
					continue
				}
				if !slices.Contains(allowed, ours) {
					t.Errorf("%s depends on %s, against the dependency direction", p, ours)
				}
			}
		})
	}
}
