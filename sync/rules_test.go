package sync

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSameJSON(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{`"a"`, `"a"`, true},
		{`{"x":1,"y":[1,2]}`, `{ "y": [1, 2], "x": 1 }`, true},
		{`"12.50"`, `"12.5"`, false}, // strings compare as written
		{`12.50`, `12.5`, false},     // numbers keep their text: no float rounding
		{`100000000000000000001`, `100000000000000000000`, false},
		{``, `null`, true}, // a missing field is null
		{`null`, `"null"`, false},
	} {
		require.Equal(t, tc.same, sameJSON(json.RawMessage(tc.a), json.RawMessage(tc.b)), "%s vs %s", tc.a, tc.b)
	}
}

func TestSeverityText(t *testing.T) {
	for s := Low; s <= Critical; s++ {
		b, err := s.MarshalText()
		require.NoError(t, err)
		var back Severity
		require.NoError(t, back.UnmarshalText(b))
		require.Equal(t, s, back)
	}
	var s Severity
	require.ErrorIs(t, s.UnmarshalText([]byte("urgent")), ErrInvalid)
	require.Equal(t, "severity(9)", Severity(9).String())
}

func TestFieldSeverity(t *testing.T) {
	s := New(nil, Config{Severity: map[FieldClass]Severity{ClassText: High}})
	p := Policy{Fields: map[string]FieldClass{"name": ClassText, "qty": ClassQuantity, "price": ClassMoney, "odd": "custom"}}
	for field, want := range map[string]Severity{"name": High, "qty": High, "price": Critical, "site": Medium, "odd": Medium} {
		_, got := s.severity(p, field)
		require.Equal(t, want, got, field)
	}
	require.Equal(t, ServerWins, s.policy("anything").Strategy)
}

func TestPushValidate(t *testing.T) {
	ok := Push{ClientGroupID: "g", ClientID: "c", Mutations: []Mutation{{Seq: 1, Name: "n", Args: json.RawMessage(`{}`)}}}
	require.NoError(t, ok.validate(Caller{Tenant: "t"}))
	for name, p := range map[string]Push{
		"no client": {ClientGroupID: "g"},
		"seq 0":     {ClientGroupID: "g", ClientID: "c", Mutations: []Mutation{{Name: "n"}}},
		"no name":   {ClientGroupID: "g", ClientID: "c", Mutations: []Mutation{{Seq: 1}}},
		"bad args":  {ClientGroupID: "g", ClientID: "c", Mutations: []Mutation{{Seq: 1, Name: "n", Args: json.RawMessage(`{`)}}},
	} {
		require.ErrorIs(t, p.validate(Caller{Tenant: "t"}), ErrInvalid, name)
	}
	require.ErrorIs(t, ok.validate(Caller{}), ErrInvalid, "no tenant")
}

func TestDecimalField(t *testing.T) {
	for raw, want := range map[string]string{`"12.50"`: "12.5", `7`: "7", `"-0.001"`: "-0.001"} {
		d, err := DecimalField(json.RawMessage(raw))
		require.NoError(t, err)
		require.Equal(t, want, d.String())
	}
	_, err := DecimalField(json.RawMessage(`"abc"`))
	require.Error(t, err)
}
