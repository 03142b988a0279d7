package vat

import (
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// Group formats an amount with Indian-style (lakh, crore) grouping and two decimals,
// rounded half-up to the poisha: 12345678.9 -> "1,23,45,678.90".
func Group(d decimal.Decimal) string {
	s := d.Round(Poisha).StringFixed(Poisha)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	// the last three digits form a group; before them, groups of two
	var groups []string
	if n := len(intPart); n > 3 {
		groups = append(groups, intPart[n-3:])
		intPart = intPart[:n-3]
		for len(intPart) > 2 {
			groups = append(groups, intPart[len(intPart)-2:])
			intPart = intPart[:len(intPart)-2]
		}
	}
	groups = append(groups, intPart)
	slices.Reverse(groups)
	return sign + strings.Join(groups, ",") + "." + frac
}

// FormatTaka formats an amount with the Taka sign: "৳1,23,45,678.90".
func FormatTaka(d decimal.Decimal) string { return "৳" + Group(d) }

// FormatTk formats an amount with the ASCII abbreviation: "Tk 1,23,45,678.90" (for
// fonts without the Taka sign).
func FormatTk(d decimal.Decimal) string { return "Tk " + Group(d) }

// FormatTakaBengali formats an amount with the Taka sign and Bengali digits:
// "৳১,২৩,৪৫,৬৭৮.৯০".
func FormatTakaBengali(d decimal.Decimal) string { return "৳" + BengaliDigits(Group(d)) }

// BengaliDigits replaces ASCII digits by Bengali digits (০-৯).
func BengaliDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			r = '০' + (r - '0')
		}
		b.WriteRune(r)
	}
	return b.String()
}

var (
	ones = [...]string{"Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
		"Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"}
	tens = [...]string{"", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety"}
)

// splitAmount rounds d half-up to the poisha and returns its whole Taka (as decimal
// digits in crores and the rest) and poisha.
func splitAmount(d decimal.Decimal) (neg bool, taka decimal.Decimal, poisha int64) {
	d = d.Round(Poisha)
	neg = d.IsNegative()
	d = d.Abs()
	taka = d.Truncate(0)
	poisha = d.Sub(taka).Shift(Poisha).IntPart()
	return neg, taka, poisha
}

var crore = decimal.NewFromInt(1_00_00_000)

// indian breaks n (< 1 crore) into lakhs, thousands, hundreds and the rest.
func indian(n int64) (lakh, thousand, hundred, rest int64) {
	return n / 1_00_000, n / 1000 % 100, n / 100 % 10, n % 100
}

func englishBelow100(n int64) string {
	if n < 20 {
		return ones[n]
	}
	if n%10 == 0 {
		return tens[n/10]
	}
	return tens[n/10] + " " + ones[n%10]
}

// englishWords spells a whole number in the Indian system.
func englishWords(n decimal.Decimal) string {
	if n.IsZero() {
		return "Zero"
	}
	var parts []string
	if n.GreaterThanOrEqual(crore) {
		q := n.Div(crore).Truncate(0)
		parts = append(parts, englishWords(q), "Crore")
		n = n.Sub(q.Mul(crore))
	}
	l, th, h, r := indian(n.IntPart())
	if l > 0 {
		parts = append(parts, englishBelow100(l), "Lakh")
	}
	if th > 0 {
		parts = append(parts, englishBelow100(th), "Thousand")
	}
	if h > 0 {
		parts = append(parts, ones[h], "Hundred")
	}
	if r > 0 {
		parts = append(parts, englishBelow100(r))
	}
	return strings.Join(parts, " ")
}

// Words spells an amount in English for an invoice, rounded half-up to the poisha:
// 123456.78 -> "Taka One Lakh Twenty Three Thousand Four Hundred Fifty Six and
// Seventy Eight Poisha Only". A negative amount starts with "Minus".
func Words(d decimal.Decimal) string {
	neg, taka, p := splitAmount(d)
	var b strings.Builder
	if neg {
		b.WriteString("Minus ")
	}
	b.WriteString("Taka ")
	b.WriteString(englishWords(taka))
	if p > 0 {
		b.WriteString(" and ")
		b.WriteString(englishBelow100(p))
		b.WriteString(" Poisha")
	}
	b.WriteString(" Only")
	return b.String()
}

// bengaliNumbers are the Bengali words for 0 to 99 (each is its own word).
var bengaliNumbers = [100]string{
	"শূন্য", "এক", "দুই", "তিন", "চার", "পাঁচ", "ছয়", "সাত", "আট", "নয়",
	"দশ", "এগারো", "বারো", "তেরো", "চৌদ্দ", "পনেরো", "ষোলো", "সতেরো", "আঠারো", "উনিশ",
	"বিশ", "একুশ", "বাইশ", "তেইশ", "চব্বিশ", "পঁচিশ", "ছাব্বিশ", "সাতাশ", "আটাশ", "উনত্রিশ",
	"ত্রিশ", "একত্রিশ", "বত্রিশ", "তেত্রিশ", "চৌত্রিশ", "পঁয়ত্রিশ", "ছত্রিশ", "সাঁইত্রিশ", "আটত্রিশ", "উনচল্লিশ",
	"চল্লিশ", "একচল্লিশ", "বিয়াল্লিশ", "তেতাল্লিশ", "চুয়াল্লিশ", "পঁয়তাল্লিশ", "ছেচল্লিশ", "সাতচল্লিশ", "আটচল্লিশ", "উনপঞ্চাশ",
	"পঞ্চাশ", "একান্ন", "বাহান্ন", "তিপ্পান্ন", "চুয়ান্ন", "পঞ্চান্ন", "ছাপ্পান্ন", "সাতান্ন", "আটান্ন", "উনষাট",
	"ষাট", "একষট্টি", "বাষট্টি", "তেষট্টি", "চৌষট্টি", "পঁয়ষট্টি", "ছেষট্টি", "সাতষট্টি", "আটষট্টি", "উনসত্তর",
	"সত্তর", "একাত্তর", "বাহাত্তর", "তিয়াত্তর", "চুয়াত্তর", "পঁচাত্তর", "ছিয়াত্তর", "সাতাত্তর", "আটাত্তর", "উনআশি",
	"আশি", "একাশি", "বিরাশি", "তিরাশি", "চুরাশি", "পঁচাশি", "ছিয়াশি", "সাতাশি", "আটাশি", "উননব্বই",
	"নব্বই", "একানব্বই", "বিরানব্বই", "তিরানব্বই", "চুরানব্বই", "পঁচানব্বই", "ছিয়ানব্বই", "সাতানব্বই", "আটানব্বই", "নিরানব্বই",
}

func bengaliWords(n decimal.Decimal) string {
	if n.IsZero() {
		return bengaliNumbers[0]
	}
	var parts []string
	if n.GreaterThanOrEqual(crore) {
		q := n.Div(crore).Truncate(0)
		parts = append(parts, bengaliWords(q), "কোটি")
		n = n.Sub(q.Mul(crore))
	}
	l, th, h, r := indian(n.IntPart())
	if l > 0 {
		parts = append(parts, bengaliNumbers[l], "লাখ")
	}
	if th > 0 {
		parts = append(parts, bengaliNumbers[th], "হাজার")
	}
	if h > 0 {
		parts = append(parts, bengaliNumbers[h]+"শত")
	}
	if r > 0 {
		parts = append(parts, bengaliNumbers[r])
	}
	return strings.Join(parts, " ")
}

// WordsBengali spells an amount in Bengali, rounded half-up to the poisha:
// 123456.78 -> "এক লাখ তেইশ হাজার চারশত ছাপ্পান্ন টাকা আটাত্তর পয়সা মাত্র".
// A negative amount starts with "ঋণাত্মক".
func WordsBengali(d decimal.Decimal) string {
	neg, taka, p := splitAmount(d)
	var b strings.Builder
	if neg {
		b.WriteString("ঋণাত্মক ")
	}
	b.WriteString(bengaliWords(taka))
	b.WriteString(" টাকা")
	if p > 0 {
		b.WriteString(" ")
		b.WriteString(bengaliNumbers[p])
		b.WriteString(" পয়সা")
	}
	b.WriteString(" মাত্র")
	return b.String()
}
