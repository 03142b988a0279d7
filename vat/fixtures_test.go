package vat

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func mustBIN(t testing.TB, s string) BIN {
	t.Helper()
	b, err := ParseBIN(s)
	require.NoError(t, err)
	return b
}

func sampleInvoice(t testing.TB) *Invoice {
	return &Invoice{
		Serial:   "DHK-2025-26-000123",
		IssuedAt: time.Date(2026, 1, 15, 14, 35, 0, 0, Dhaka()),
		Supplier: Party{Name: "Meghna Cement Mills Ltd", BIN: mustBIN(t, "002871821-0101"), Address: "12 Tejgaon I/A, Dhaka 1208"},
		Buyer:    Party{Name: "Padma Builders Ltd", BIN: mustBIN(t, "000456789-0202"), Address: "Plot 7, Agrabad, Chattogram"},
		Lines: []Line{
			{Description: "Portland cement", Unit: "bag", Quantity: d("1"), UnitPrice: d("1000"), VAT: StandardRate(), SDPercent: d("20")},
			{Description: "Delivery", Unit: "trip", Quantity: d("2"), UnitPrice: d("250"), VAT: PercentRate(Reduced, "7.5")},
		},
		Responsible: Person{Name: "Rahim Uddin", Designation: "Accounts Manager"},
	}
}

func sampleNote(t testing.TB, k NoteKind) *AdjustmentNote {
	return &AdjustmentNote{
		Kind:     k,
		Serial:   "DHK-CN-2025-26-000007",
		IssuedAt: time.Date(2026, 2, 3, 10, 5, 0, 0, Dhaka()),
		Supplier: Party{Name: "Meghna Cement Mills Ltd", BIN: mustBIN(t, "002871821-0101"), Address: "12 Tejgaon I/A, Dhaka 1208"},
		Buyer:    Party{Name: "Padma Builders Ltd", BIN: mustBIN(t, "000456789-0202"), Address: "Plot 7, Agrabad, Chattogram"},
		Original: InvoiceRef{Serial: "DHK-2025-26-000123", IssuedAt: time.Date(2026, 1, 15, 14, 35, 0, 0, Dhaka())},
		Reason:   "Goods returned: damaged bags",
		Lines: []Line{
			{Description: "Portland cement", Unit: "bag", Quantity: d("1"), UnitPrice: d("1000"), VAT: StandardRate(), SDPercent: d("20")},
		},
		Responsible: Person{Name: "Rahim Uddin", Designation: "Accounts Manager"},
	}
}

func sampleCertificate(t testing.TB) *VDSCertificate {
	return &VDSCertificate{
		Serial:     "VDS-2025-26-000042",
		IssuedAt:   time.Date(2026, 1, 20, 11, 0, 0, 0, Dhaka()),
		Withholder: Party{Name: "Jamuna Bank PLC", BIN: mustBIN(t, "000111222-0101"), Address: "Dilkusha C/A, Dhaka"},
		Supplier:   Party{Name: "Meghna Cement Mills Ltd", BIN: mustBIN(t, "002871821-0101"), Address: "12 Tejgaon I/A, Dhaka 1208"},
		Lines: []VDSLine{{InvoiceSerial: "DHK-2025-26-000123", InvoiceDate: NewDate(2026, 1, 15),
			Value: d("159270.30"), VAT: d("23890.55"), Withheld: d("23890.55")}},
		Deposit:     TreasuryDeposit{ChallanNumber: "TR-2026-0001234", Date: NewDate(2026, 1, 21)},
		Responsible: Person{Name: "Karim Ahmed", Designation: "Head of Finance"},
	}
}
