package vat

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestGroup(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"12345678.9":  "1,23,45,678.90", // reference example
		"0":           "0.00",
		"5":           "5.00",
		"999":         "999.00",
		"1000":        "1,000.00",
		"99999":       "99,999.00",
		"100000":      "1,00,000.00",
		"1234567":     "12,34,567.00",
		"123456789":   "12,34,56,789.00",
		"1234567890":  "1,23,45,67,890.00",
		"-1234567.5":  "-12,34,567.50",
		"-999":        "-999.00",
		"23890.545":   "23,890.55", // half-up
		"0.005":       "0.01",
		"-0.005":      "-0.01",
		"100000.004":  "1,00,000.00",
		"12345678.90": "1,23,45,678.90",
	}
	for in, want := range tests {
		require.Equal(t, want, Group(d(in)), in)
	}
	require.Equal(t, "৳1,23,45,678.90", FormatTaka(d("12345678.9")))
	require.Equal(t, "Tk 1,23,45,678.90", FormatTk(d("12345678.9")))
	require.Equal(t, "৳১,২৩,৪৫,৬৭৮.৯০", FormatTakaBengali(d("12345678.9")))
}

func TestWords(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		// reference / issue example
		"123456.78":    "Taka One Lakh Twenty Three Thousand Four Hundred Fifty Six and Seventy Eight Poisha Only",
		"0":            "Taka Zero Only",
		"0.5":          "Taka Zero and Fifty Poisha Only",
		"1":            "Taka One Only",
		"15":           "Taka Fifteen Only",
		"20":           "Taka Twenty Only",
		"100":          "Taka One Hundred Only",
		"1000":         "Taka One Thousand Only",
		"1380":         "Taka One Thousand Three Hundred Eighty Only",
		"100000":       "Taka One Lakh Only",
		"10000000":     "Taka One Crore Only",
		"12345678.9":   "Taka One Crore Twenty Three Lakh Forty Five Thousand Six Hundred Seventy Eight and Ninety Poisha Only",
		"100000000000": "Taka Ten Thousand Crore Only",
		"-130.43":      "Minus Taka One Hundred Thirty and Forty Three Poisha Only",
		"23890.545":    "Taka Twenty Three Thousand Eight Hundred Ninety and Fifty Five Poisha Only",
		"99.999":       "Taka One Hundred Only",
	}
	for in, want := range tests {
		require.Equal(t, want, Words(d(in)), in)
	}
}

func TestWordsBengali(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"123456.78": "এক লাখ তেইশ হাজার চারশত ছাপ্পান্ন টাকা আটাত্তর পয়সা মাত্র",
		"0":         "শূন্য টাকা মাত্র",
		"100":       "একশত টাকা মাত্র",
		"1380":      "এক হাজার তিনশত আশি টাকা মাত্র",
		"10000000":  "এক কোটি টাকা মাত্র",
		"25000.50":  "পঁচিশ হাজার টাকা পঞ্চাশ পয়সা মাত্র",
		"-5":        "ঋণাত্মক পাঁচ টাকা মাত্র",
	}
	for in, want := range tests {
		require.Equal(t, want, WordsBengali(d(in)), in)
	}
	for i, w := range bengaliNumbers {
		require.NotEmpty(t, w, i)
	}
}
