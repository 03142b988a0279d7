package postgres

import (
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/internal/gather"
)

// scanAccounts reads the rows of sqlAccounts (accountSelect's columns) from
// their wire values, as scanAccount does row by row through Scan, and
// returns them in code order. A financial statement reads every account
// of the tenant, and at 10,000 accounts the reflective Scan of eleven columns (arrays, jsonb, a
// timestamp) cost about as much as the statement's balances. Values in a
// form this does not know (text format, non-empty arrays) go through pgx.
func scanAccounts(rows pgx.Rows) ([]ledger.Account, error) {
	defer rows.Close()
	fds := rows.FieldDescriptions()
	if len(fds) != 11 {
		return nil, fmt.Errorf("postgres: accounts: %d columns", len(fds))
	}
	tm := rows.Conn().TypeMap()
	scan := func(i int, v []byte, dst any) error {
		return tm.Scan(fds[i].DataTypeOID, fds[i].Format, v, dst)
	}
	var acc gather.Blocks[ledger.Account]
	for rows.Next() {
		v := rows.RawValues()
		var a ledger.Account
		var err error
		if fds[0].Format == pgtype.BinaryFormatCode && len(v[0]) == 16 {
			a.ID = [16]byte(v[0])
		} else if err = scan(0, v[0], (*[16]byte)(&a.ID)); err != nil {
			return nil, err
		}
		a.Code, a.Name = string(v[1]), string(v[2])
		a.Type, a.NormalSide = accountType(v[3]), side(v[4])
		if len(v[5]) > 0 {
			a.Parent = string(v[5])
		}
		if a.Currencies, err = decodeTextArray(scan, 6, fds[6].Format, v[6]); err != nil {
			return nil, err
		}
		if fds[7].Format == pgtype.BinaryFormatCode && len(v[7]) == 1 {
			a.Blocked = v[7][0] != 0
		} else if err = scan(7, v[7], &a.Blocked); err != nil {
			return nil, err
		}
		meta := v[8]
		if fds[8].Format == pgtype.BinaryFormatCode && fds[8].DataTypeOID == pgtype.JSONBOID && len(meta) > 0 && meta[0] == 1 {
			meta = meta[1:] // jsonb's binary form: a version byte, then the text
		} else if fds[8].Format == pgtype.BinaryFormatCode {
			var b []byte
			if err = scan(8, v[8], &b); err != nil {
				return nil, err
			}
			meta = b
		}
		if a.Metadata, err = decodeMap(meta); err != nil {
			return nil, err
		}
		if fds[9].Format == pgtype.BinaryFormatCode && fds[9].DataTypeOID == pgtype.TimestamptzOID && len(v[9]) == 8 {
			// Microseconds since 2000-01-01 UTC.
			us := int64(binary.BigEndian.Uint64(v[9]))
			a.CreatedAt = postgresEpoch.Add(time.Duration(us) * time.Microsecond)
		} else if err = scan(9, v[9], &a.CreatedAt); err != nil {
			return nil, err
		}
		a.CreatedAt = a.CreatedAt.UTC()
		if a.RequiredDimensions, err = decodeTextArray(scan, 10, fds[10].Format, v[10]); err != nil {
			return nil, err
		}
		acc.Add(a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := acc.All()
	// Ordered here rather than by the statement (see sortBalances).
	sortInPlace(out, func(a, b *ledger.Account) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}

// scanOutline reads the rows of sqlAccountsOutline: accounts with only
// their code, name, type, normal side, parent, blocked flag and ID, in
// code order. The codes, names and parents are cut from one string.
func scanOutline(rows pgx.Rows) ([]ledger.Account, error) {
	defer rows.Close()
	fds := rows.FieldDescriptions()
	if len(fds) != 7 {
		return nil, fmt.Errorf("postgres: account outline: %d columns", len(fds))
	}
	var acc gather.Blocks[ledger.Account]
	var text []byte
	var cuts []int // per account: where its code, name and parent start
	for rows.Next() {
		v := rows.RawValues()
		var a ledger.Account
		cuts = append(cuts, len(text), len(text)+len(v[0]), len(text)+len(v[0])+len(v[1]))
		text = append(append(append(text, v[0]...), v[1]...), v[4]...)
		a.Type, a.NormalSide = accountType(v[2]), side(v[3])
		if fds[5].Format == pgtype.BinaryFormatCode && len(v[5]) == 1 {
			a.Blocked = v[5][0] != 0
		} else if err := rows.Conn().TypeMap().Scan(fds[5].DataTypeOID, fds[5].Format, v[5], &a.Blocked); err != nil {
			return nil, err
		}
		if fds[6].Format == pgtype.BinaryFormatCode && len(v[6]) == 16 {
			a.ID = [16]byte(v[6])
		} else if err := rows.Conn().TypeMap().Scan(fds[6].DataTypeOID, fds[6].Format, v[6], (*[16]byte)(&a.ID)); err != nil {
			return nil, err
		}
		acc.Add(a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := acc.All()
	all := string(text)
	cuts = append(cuts, len(all))
	for i := range out {
		code, name, parent, next := cuts[3*i], cuts[3*i+1], cuts[3*i+2], cuts[3*i+3]
		out[i].Code, out[i].Name, out[i].Parent = all[code:name], all[name:parent], all[parent:next]
	}
	sortInPlace(out, func(a, b *ledger.Account) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}

// postgresEpoch is the zero of PostgreSQL's binary timestamps.
var postgresEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// decodeTextArray decodes a text[] column: nil for NULL or an empty array (read
// from the binary header without pgx), anything else through scan.
func decodeTextArray(scan func(int, []byte, any) error, i int, format int16, v []byte) ([]string, error) {
	// Binary array header: dimensions, has-nulls flag, element type; no
	// dimensions is an empty array.
	if v == nil || (format == pgtype.BinaryFormatCode && len(v) >= 4 && binary.BigEndian.Uint32(v) == 0) {
		return nil, nil
	}
	var out []string
	if err := scan(i, v, &out); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}
