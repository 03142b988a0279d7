package vat

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func testVDSTable(t *testing.T) *Table {
	t.Helper()
	// Test data only: the package ships no VDS service codes (see docs/vat.md).
	tab, err := LoadTable(strings.NewReader(`{"vds": [
	  {"key": "S-TEST-15", "values": [{"since": "2019-07-01", "percent": "15", "source": "test"}]},
	  {"key": "S-TEST-DATED", "values": [
	    {"since": "2019-07-01", "percent": "5", "source": "test"},
	    {"since": "2025-07-01", "percent": "7.5", "source": "test"}]}]}`))
	require.NoError(t, err)
	return tab
}

func TestWithholdingEntity(t *testing.T) {
	t.Parallel()
	var p VDSPolicy // zero value = shipped defaults
	on := NewDate(2025, 1, 1)
	for _, k := range []EntityKind{Government, NGO, Bank, Insurer, FinancialInstitution, School, LimitedCompany} {
		require.True(t, p.IsWithholdingEntity(Buyer{Kind: k}, on), k)
	}
	require.False(t, p.IsWithholdingEntity(Buyer{Kind: EntityKind(42)}, on))
	big := Buyer{Kind: Other, AnnualTurnover: d("100000000.01")} // just above Tk 10 crore
	require.True(t, p.IsWithholdingEntity(big, on))
	require.False(t, p.IsWithholdingEntity(big, NewDate(2024, 6, 30)), "before FY 2024-25")
	require.False(t, p.IsWithholdingEntity(Buyer{Kind: Other, AnnualTurnover: d("100000000")}, on))
}

func TestComputeVDS(t *testing.T) {
	t.Parallel()
	tab := testVDSTable(t)
	in := VDSInput{Buyer: Buyer{Kind: Bank}, ServiceCode: "S-TEST-15", Date: NewDate(2025, 3, 1), Base: d("159270.30")}
	v, err := ComputeVDS(tab, in, VDSPolicy{}, Rounding{})
	require.NoError(t, err)
	requireDec(t, "23890.55", v.Amount) // reference rounding example
	in.ServiceCode = "S-TEST-DATED"
	v, err = ComputeVDS(tab, in, VDSPolicy{}, Rounding{})
	require.NoError(t, err)
	requireDec(t, "5", v.Rate.Percent)
	in.Date = NewDate(2025, 7, 1)
	v, err = ComputeVDS(tab, in, VDSPolicy{}, Rounding{})
	require.NoError(t, err)
	requireDec(t, "7.5", v.Rate.Percent)
	requireDec(t, "11945.27", v.Amount) // 159,270.30 x 7.5% = 11,945.2725

	tests := []struct {
		name string
		mod  func(*VDSInput)
		r    Rounding
		want error
	}{
		{"not withholding", func(i *VDSInput) { i.Buyer = Buyer{} }, Rounding{}, ErrNotWithholder},
		{"unknown code", func(i *VDSInput) { i.ServiceCode = "S-NONE" }, Rounding{}, ErrRateNotFound},
		{"too early", func(i *VDSInput) { i.Date = NewDate(2019, 1, 1) }, Rounding{}, ErrNoRateInForce},
		{"negative", func(i *VDSInput) { i.Base = d("-1") }, Rounding{}, ErrAmount},
		{"rounding", func(*VDSInput) {}, Rounding{Scope: 9}, ErrRounding},
	}
	for _, tc := range tests {
		i := in
		tc.mod(&i)
		_, err := ComputeVDS(tab, i, VDSPolicy{}, tc.r)
		require.ErrorIs(t, err, tc.want, tc.name)
	}
}

func TestCheckInputCredit(t *testing.T) {
	t.Parallel()
	sup, err := ParseBIN("002871821-0101")
	require.NoError(t, err)
	buy, err := ParseBIN("000123456-0202")
	require.NoError(t, err)
	ok := Purchase{Date: NewDate(2025, 1, 15), SupplierBIN: sup, BuyerBIN: buy,
		Value: d("80000"), VAT: d("12000"), Category: Standard, InRegister: true}
	jan := MonthOf(NewDate(2025, 1, 1))
	tests := []struct {
		name    string
		mod     func(*Purchase)
		claim   Period
		reasons []DenialReason
		credit  string
	}{
		{"eligible", func(*Purchase) {}, jan, nil, "12000"},
		{"last period of window", func(*Purchase) {}, jan.Add(4), nil, "12000"},
		{"after window", func(*Purchase) {}, jan.Add(5), []DenialReason{OutsideClaimWindow}, "0"},
		{"before purchase", func(*Purchase) {}, jan.Add(-1), []DenialReason{OutsideClaimWindow}, "0"},
		{"1 lakh exactly, cash", func(p *Purchase) { p.Value = d("88000"); p.VAT = d("12000") }, jan, nil, "12000"},
		{"1 lakh + 1 poisha, cash", func(p *Purchase) { p.Value = d("88000.01"); p.VAT = d("12000") }, jan, []DenialReason{NotPaidThroughBank}, "0"},
		{"over 1 lakh by bank", func(p *Purchase) { p.Value = d("880000"); p.PaidThroughBank = true }, jan, nil, "12000"},
		{"no supplier BIN", func(p *Purchase) { p.SupplierBIN = BIN{} }, jan, []DenialReason{MissingSupplierBIN}, "0"},
		{"no buyer BIN", func(p *Purchase) { p.BuyerBIN = BIN{} }, jan, []DenialReason{MissingBuyerBIN}, "0"},
		{"not in register", func(p *Purchase) { p.InRegister = false }, jan, []DenialReason{NotInRegister}, "0"},
		{"used for exempt", func(p *Purchase) { p.UsedFor = Exempt }, jan, []DenialReason{RelatedToNonCreditable}, "0"},
		{"used for reduced", func(p *Purchase) { p.UsedFor = Reduced }, jan, []DenialReason{RelatedToNonCreditable}, "0"},
		{"used for zero-rated", func(p *Purchase) { p.UsedFor = ZeroRated }, jan, nil, "12000"},
		{"turnover tax", func(p *Purchase) { p.Category = Turnover }, jan, []DenialReason{TurnoverTaxCharged}, "0"},
		{"blocked", func(p *Purchase) { p.Blocked = true; p.BlockedWhat = "club fees" }, jan, []DenialReason{BlockedPurchase}, "0"},
		{"SD only refused", func(p *Purchase) { p.SD = d("1000") }, jan, []DenialReason{SDNotCreditable}, "12000"},
		{"several", func(p *Purchase) { p.SupplierBIN = BIN{}; p.InRegister = false; p.SD = d("5") }, jan,
			[]DenialReason{MissingSupplierBIN, NotInRegister, SDNotCreditable}, "0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := ok
			tc.mod(&p)
			c, err := CheckInputCredit(p, tc.claim, ITCPolicy{})
			require.NoError(t, err)
			got := make([]DenialReason, len(c.Reasons))
			for i, r := range c.Reasons {
				got[i] = r.Reason
				require.NotEmpty(t, r.Detail)
				require.NotContains(t, r.Reason.String(), "DenialReason(")
			}
			require.ElementsMatch(t, tc.reasons, got)
			requireDec(t, tc.credit, c.Creditable)
			require.Equal(t, tc.credit != "0", c.Eligible())
			requireDec(t, p.VAT.Add(p.SD).String(), c.Creditable.Add(c.Denied))
			for _, r := range tc.reasons {
				require.True(t, c.Has(r))
			}
		})
	}
}

func TestCheckInputCreditPolicy(t *testing.T) {
	t.Parallel()
	sup, _ := ParseBIN("0028718210101")
	p := Purchase{Date: NewDate(2026, 7, 15), SupplierBIN: sup, BuyerBIN: sup, Value: d("100"), VAT: d("15"), InRegister: true}
	six := ITCPolicy{ClaimWindow: append(DefaultITCPolicy().ClaimWindow,
		DatedCount{Since: NewDate(2026, 7, 1), Count: 6, Source: "hypothetical 2026 amendment"})}
	jul := MonthOf(p.Date)
	c, err := CheckInputCredit(p, jul.Add(6), six)
	require.NoError(t, err)
	require.True(t, c.Eligible())
	c, err = CheckInputCredit(p, jul.Add(6), ITCPolicy{})
	require.NoError(t, err)
	require.False(t, c.Eligible())
	// quarterly periods: purchase in Q1 claimable through Q1 + 4
	q := ITCPolicy{Length: Quarterly}
	qp, _ := PeriodOf(p.Date, Quarterly)
	c, err = CheckInputCredit(p, qp.Add(4), q)
	require.NoError(t, err)
	require.True(t, c.Eligible())

	_, err = CheckInputCredit(Purchase{Date: p.Date, VAT: decimal.NewFromInt(-1)}, jul, ITCPolicy{})
	require.ErrorIs(t, err, ErrAmount)
	_, err = CheckInputCredit(Purchase{}, jul, ITCPolicy{})
	require.ErrorIs(t, err, ErrDate)
	_, err = CheckInputCredit(Purchase{Date: NewDate(2020, 1, 1)}, jul, ITCPolicy{})
	require.ErrorIs(t, err, ErrDate) // no claim window shipped before FY 2021-22
	_, err = CheckInputCredit(p, jul, ITCPolicy{Length: 5})
	require.ErrorIs(t, err, ErrPeriodLength)
}
