package postgres_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The general daily-totals statement (sqlDaily) updates the rows it probed
// by their TIDs. That is safe only because every statement that writes a
// balance's daily rows runs after the balance upsert of its transaction,
// holding the balance row's lock (see the comment on sqlDaily). This test
// makes the rule mechanical: every string literal in the adapter's code
// that writes erp_ledger_daily must belong to one of the declarations
// below. A new writer fails it until its author has checked that it holds
// the balance locks first, and added it here.
func TestDailyRowWriters(t *testing.T) {
	allowed := []string{
		"dailyInsert",    // the insert of sqlDaily and sqlDailyJoin
		"sqlDaily",       // after the balance upsert, in postMany and postOne
		"sqlDailyJoin",   // likewise
		"sqlDailyAppend", // likewise
		"sqlPostOneFast", // in the statement that upserts the balances first
	}
	writes := regexp.MustCompile(`(?i)\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+erp_ledger_daily\b`)
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	var found []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		// Each literal is attributed to the top-level declaration holding it.
		for _, decl := range f.Decls {
			var owners []string
			switch d := decl.(type) {
			case *ast.FuncDecl:
				owners = []string{d.Name.Name}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					if vs, ok := spec.(*ast.ValueSpec); ok {
						for _, n := range vs.Names {
							owners = append(owners, n.Name)
						}
					}
				}
			}
			ast.Inspect(decl, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				text, err := strconv.Unquote(lit.Value)
				if err != nil || !writes.MatchString(text) {
					return true
				}
				owner := ownerOf(decl, lit, owners)
				found = append(found, owner)
				require.Contains(t, allowed, owner,
					"%s writes erp_ledger_daily in %s: check that it holds its balances' row locks first (see sqlDaily), then allow it here",
					fset.Position(lit.Pos()), owner)
				return true
			})
		}
	}
	// The scan found the writers it must find (it is not scanning nothing).
	for _, want := range []string{"dailyInsert", "sqlDaily", "sqlDailyJoin", "sqlDailyAppend", "sqlPostOneFast"} {
		require.True(t, slices.Contains(found, want), "no write of erp_ledger_daily found in %s", want)
	}
}

// ownerOf names the declaration of decl that holds lit: for a group of
// constants or variables, the spec whose value contains it.
func ownerOf(decl ast.Decl, lit *ast.BasicLit, owners []string) string {
	g, ok := decl.(*ast.GenDecl)
	if !ok {
		return owners[0]
	}
	for _, spec := range g.Specs {
		vs, ok := spec.(*ast.ValueSpec)
		if !ok {
			continue
		}
		for i, v := range vs.Values {
			if v.Pos() <= lit.Pos() && lit.End() <= v.End() && i < len(vs.Names) {
				return vs.Names[i].Name
			}
		}
	}
	return strings.Join(owners, ",")
}
