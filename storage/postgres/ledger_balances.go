package postgres

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/ledger"
)

// scanBalances reads the rows of sqlBalances and sqlBalancesAsOf (code,
// name, type, normal side, currency, debit, credit, base debit, base
// credit) from their wire values:
// at 10,000 balances the reflective Scan into pgtype.Numeric and the
// big.Int arithmetic behind it were a third of the call's CPU time.
func scanBalances(rows pgx.Rows) ([]ledger.Balance, error) {
	defer rows.Close()
	fds := rows.FieldDescriptions()
	if len(fds) != 9 {
		return nil, fmt.Errorf("postgres: balances: %d columns", len(fds))
	}
	var out []ledger.Balance
	currencies := map[string]string{}
	for rows.Next() {
		v := rows.RawValues()
		var b ledger.Balance
		b.Account, b.Name = string(v[0]), string(v[1])
		b.Type, b.NormalSide = accountType(v[2]), side(v[3])
		cur, ok := currencies[string(v[4])]
		if !ok {
			cur = string(v[4])
			currencies[cur] = cur
		}
		b.Currency = cur
		var err error
		if b.Debit, err = numericValue(rows, fds[5].Format, v[5]); err != nil {
			return nil, err
		}
		if b.Credit, err = numericValue(rows, fds[6].Format, v[6]); err != nil {
			return nil, err
		}
		if b.BaseDebit, err = numericValue(rows, fds[7].Format, v[7]); err != nil {
			return nil, err
		}
		if b.BaseCredit, err = numericValue(rows, fds[8].Format, v[8]); err != nil {
			return nil, err
		}
		if b.Debit.IsZero() && b.Credit.IsZero() && b.BaseDebit.IsZero() && b.BaseCredit.IsZero() {
			continue
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// accountType returns the type named by v without allocating for the five
// known types.
func accountType(v []byte) ledger.AccountType {
	for _, t := range [...]ledger.AccountType{ledger.Asset, ledger.Liability, ledger.Equity, ledger.Revenue, ledger.Expense} {
		if string(v) == string(t) {
			return t
		}
	}
	return ledger.AccountType(v)
}

// side returns the side named by v without allocating for the two sides.
func side(v []byte) ledger.Side {
	switch string(v) {
	case string(ledger.Debit):
		return ledger.Debit
	case string(ledger.Credit):
		return ledger.Credit
	}
	return ledger.Side(v)
}

// numericValue decodes a numeric column: a binary value of up to 16 digits
// directly into an int64 coefficient, anything else through pgx. NULL is
// zero, as decimalOf reads it.
func numericValue(rows pgx.Rows, format int16, v []byte) (decimal.Decimal, error) {
	if v == nil {
		return decimal.Zero, nil
	}
	if format == pgtype.BinaryFormatCode {
		if d, ok := numericBinary(v); ok {
			return d, nil
		}
	}
	var n pgtype.Numeric
	if err := rows.Conn().TypeMap().Scan(pgtype.NumericOID, format, v, &n); err != nil {
		return decimal.Zero, err
	}
	if n.NaN || n.InfinityModifier != pgtype.Finite {
		return decimal.Zero, fmt.Errorf("postgres: numeric %v is not a finite number", v)
	}
	return decimalOf(n), nil
}

// numericBinary decodes PostgreSQL's binary numeric (digit count, weight,
// sign, display scale, then base-10000 digits) when its coefficient fits an
// int64, with the coefficient and exponent pgx's Numeric gives for it (so
// decimals compare and print as before). ok is false otherwise.
func numericBinary(v []byte) (d decimal.Decimal, ok bool) {
	if len(v) < 8 {
		return d, false
	}
	ndigits := int(binary.BigEndian.Uint16(v))
	weight := int(int16(binary.BigEndian.Uint16(v[2:])))
	sign := binary.BigEndian.Uint16(v[4:])
	dscale := int(int16(binary.BigEndian.Uint16(v[6:])))
	const positive, negative = 0x0000, 0x4000
	if (sign != positive && sign != negative) || ndigits > 4 || len(v) != 8+2*ndigits {
		return d, false
	}
	if ndigits == 0 {
		return decimal.New(0, 0), true
	}
	var acc int64
	for i := range ndigits {
		acc = acc*10000 + int64(binary.BigEndian.Uint16(v[8+2*i:]))
	}
	exp := (weight - ndigits + 1) * 4
	if dscale > 0 {
		frac := (ndigits - weight - 1) * 4
		for ; dscale > frac; frac++ {
			if acc > math.MaxInt64/10 {
				return d, false
			}
			acc *= 10
			exp--
		}
		for ; dscale < frac; frac-- {
			acc /= 10
			exp++
		}
	}
	if exp >= 0 && acc != 0 {
		for acc%10 == 0 {
			acc /= 10
			exp++
		}
	}
	if sign == negative {
		acc = -acc
	}
	return decimal.New(acc, int32(exp)), true
}
