package ledger

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Ledger is the double-entry ledger engine. It validates every request, then
// hands it to its Store, which writes atomically. A Ledger is safe for
// concurrent use; correctness never depends on it being the only one: many
// Ledgers in many processes may share one database.
type Ledger struct {
	store Store
	now   func() time.Time
}

// Config configures a Ledger. The zero value is ready to use.
type Config struct {
	// Now returns the current time; time.Now when nil.
	Now func() time.Time
}

// New returns a Ledger over store.
func New(store Store, cfg Config) *Ledger {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Ledger{store: store, now: cfg.Now}
}

func (l *Ledger) timestamp() time.Time { return l.now().UTC().Truncate(time.Microsecond) }

// CreateAccount adds an account to the tenant's chart. Errors: ErrInvalidTenant,
// ErrInvalidAccount, ErrUnknownCurrency, ErrAccountExists, ErrAccountNotFound
// (the parent), ErrParentType.
func (l *Ledger) CreateAccount(ctx context.Context, tenant string, a Account) (Account, error) {
	if err := validateTenant(tenant); err != nil {
		return Account{}, err
	}
	a, err := normalizeAccount(a)
	if err != nil {
		return Account{}, err
	}
	if a.Parent != "" {
		p, err := l.store.Account(ctx, tenant, a.Parent)
		if err != nil {
			return Account{}, fmt.Errorf("parent %s: %w", a.Parent, err)
		}
		if p.Type != a.Type {
			return Account{}, fmt.Errorf("%w: %s is %s, parent %s is %s", ErrParentType, a.Code, a.Type, p.Code, p.Type)
		}
	}
	a.ID = uuid.Must(uuid.NewV7())
	a.Blocked = false
	a.CreatedAt = l.timestamp()
	if err := l.store.CreateAccount(ctx, tenant, a); err != nil {
		return Account{}, err
	}
	return a, nil
}

// Account returns the tenant's account with the code, or ErrAccountNotFound.
func (l *Ledger) Account(ctx context.Context, tenant, code string) (Account, error) {
	if err := validateTenant(tenant); err != nil {
		return Account{}, err
	}
	return l.store.Account(ctx, tenant, code)
}

// Accounts lists the tenant's accounts that f selects, ordered by code.
func (l *Ledger) Accounts(ctx context.Context, tenant string, f AccountFilter) ([]Account, error) {
	if err := validateTenant(tenant); err != nil {
		return nil, err
	}
	if f.Type != "" && !f.Type.Valid() {
		return nil, fmt.Errorf("%w: account type %q", ErrInvalidQuery, f.Type)
	}
	return l.store.Accounts(ctx, tenant, f)
}

// RenameAccount changes an account's name.
func (l *Ledger) RenameAccount(ctx context.Context, tenant, code, name string) (Account, error) {
	probe, err := normalizeAccount(Account{Code: code, Name: name, Type: Asset})
	if err != nil {
		return Account{}, err
	}
	return l.update(ctx, tenant, code, func(a *Account, _ func(string) (Account, error)) error {
		a.Name = probe.Name
		return nil
	})
}

// BlockAccount stops an account from taking new postings; its balances and
// history stay. UnblockAccount lifts it.
func (l *Ledger) BlockAccount(ctx context.Context, tenant, code string) (Account, error) {
	return l.setBlocked(ctx, tenant, code, true)
}

// UnblockAccount lets a blocked account take postings again.
func (l *Ledger) UnblockAccount(ctx context.Context, tenant, code string) (Account, error) {
	return l.setBlocked(ctx, tenant, code, false)
}

func (l *Ledger) setBlocked(ctx context.Context, tenant, code string, blocked bool) (Account, error) {
	return l.update(ctx, tenant, code, func(a *Account, _ func(string) (Account, error)) error {
		a.Blocked = blocked
		return nil
	})
}

// MoveAccount gives an account a new parent ("" makes it top-level). A move
// that would make the account its own ancestor fails with ErrAccountCycle; a
// parent of another type fails with ErrParentType.
func (l *Ledger) MoveAccount(ctx context.Context, tenant, code, parent string) (Account, error) {
	if parent != "" {
		if err := validateCode(parent); err != nil {
			return Account{}, err
		}
	}
	return l.update(ctx, tenant, code, func(a *Account, lookup func(string) (Account, error)) error {
		if parent == "" {
			a.Parent = ""
			return nil
		}
		// Walk up from the new parent; meeting the account itself is a cycle.
		p, err := lookup(parent)
		if err != nil {
			return fmt.Errorf("parent %s: %w", parent, err)
		}
		if p.Type != a.Type {
			return fmt.Errorf("%w: %s is %s, parent %s is %s", ErrParentType, a.Code, a.Type, p.Code, p.Type)
		}
		for cur, depth := p, 0; ; depth++ {
			if cur.Code == a.Code {
				return fmt.Errorf("%w: %s is an ancestor of %s", ErrAccountCycle, a.Code, parent)
			}
			if cur.Parent == "" || depth > 10000 {
				break
			}
			if cur, err = lookup(cur.Parent); err != nil {
				return err
			}
		}
		a.Parent = parent
		return nil
	})
}

func (l *Ledger) update(ctx context.Context, tenant, code string, fn func(*Account, func(string) (Account, error)) error) (Account, error) {
	if err := validateTenant(tenant); err != nil {
		return Account{}, err
	}
	if err := validateCode(code); err != nil {
		return Account{}, err
	}
	return l.store.UpdateAccount(ctx, tenant, code, fn)
}

// Post validates e and posts it: the entry is appended and the balances of
// its accounts change in one transaction, or nothing happens. The posted
// entry is returned with its ID and lines' account IDs set.
//
// Errors (all before anything is written): ErrInvalidTenant, ErrInvalidDate,
// ErrInvalidEntry, ErrUnknownCurrency, ErrInvalidAmount, ErrTooManyDecimals,
// *UnbalancedError (ErrUnbalanced), and per line (*LineError)
// ErrAccountNotFound, ErrAccountBlocked, ErrCurrencyNotAllowed;
// ErrIdempotencyConflict when the key was used for other content. A retry
// with the same key and content returns the original entry.
func (l *Ledger) Post(ctx context.Context, tenant string, e Entry) (Entry, error) {
	return l.postEntry(ctx, tenant, e, postOptions{})
}

// PostBatch posts many entries in one transaction: all of them or none.
// When any entry is invalid nothing is posted and the error is a *BatchError
// listing every failing entry by index. Entries replayed by idempotency key
// come back as originally posted. The result is in the order of es.
func (l *Ledger) PostBatch(ctx context.Context, tenant string, es []Entry) ([]Entry, error) {
	if len(es) == 0 {
		return nil, fmt.Errorf("%w: empty batch", ErrInvalidEntry)
	}
	return l.post(ctx, tenant, es, postOptions{})
}

// Reverse posts an entry that mirrors entry id line by line (debits become
// credits) dated date, referencing it. An entry is reversed at most once:
// a second reversal fails with *AlreadyReversedError (ErrAlreadyReversed).
// opts may set the description, reference, metadata and idempotency key;
// the description defaults to "Reversal of <original description>" and the
// reference to the original's.
func (l *Ledger) Reverse(ctx context.Context, tenant string, id uuid.UUID, date Date, opts ReverseOptions) (Entry, error) {
	if err := validateTenant(tenant); err != nil {
		return Entry{}, err
	}
	orig, err := l.store.Entry(ctx, tenant, id)
	if err != nil {
		return Entry{}, err
	}
	if orig.ReversedBy != uuid.Nil {
		return Entry{}, &AlreadyReversedError{Entry: id.String(), ReversedBy: orig.ReversedBy.String()}
	}
	rev := Entry{
		Date:           date,
		Description:    opts.Description,
		Reference:      opts.Reference,
		Metadata:       opts.Metadata,
		IdempotencyKey: opts.IdempotencyKey,
		Reverses:       orig.ID,
	}
	if rev.Description == "" {
		rev.Description = "Reversal of " + orig.Description
	}
	if rev.Reference == "" {
		rev.Reference = orig.Reference
	}
	for _, ln := range orig.Lines {
		ln.Side = ln.Side.Opposite()
		rev.Lines = append(rev.Lines, ln)
	}
	return l.postEntry(ctx, tenant, rev, postOptions{reversal: true})
}

// postEntry posts one entry, returning its own error rather than a
// one-entry *BatchError.
func (l *Ledger) postEntry(ctx context.Context, tenant string, e Entry, opts postOptions) (Entry, error) {
	out, err := l.post(ctx, tenant, []Entry{e}, opts)
	if err != nil {
		var be *BatchError
		if errors.As(err, &be) && len(be.Entries) == 1 {
			return Entry{}, be.Entries[0].Err
		}
		return Entry{}, err
	}
	return out[0], nil
}

// ReverseOptions are the optional fields of a reversing entry.
type ReverseOptions struct {
	Description    string
	Reference      string
	Metadata       map[string]string
	IdempotencyKey string
}

// postOptions are what the ledger's own postings may do that callers may not.
type postOptions struct {
	reversal bool // Reverses may be set
	system   bool // a year-end close: the reserved key prefix, into closed periods
	// check, when set, runs first in the store's transaction; its error
	// refuses the whole post.
	check func(PostState) error
}

// post is Post and PostBatch: validate what needs no state, then let the store
// load the accounts, prior keys and calendar and finish validation inside its
// transaction (so a concurrent period close cannot let a posting slip in).
func (l *Ledger) post(ctx context.Context, tenant string, es []Entry, opts postOptions) ([]Entry, error) {
	if err := validateTenant(tenant); err != nil {
		return nil, err
	}
	norm := make([]Entry, len(es))
	var bad []*EntryError
	var keys []string
	for i, e := range es {
		n, err := normalizeEntry(e)
		if err == nil && !opts.reversal && n.Reverses != uuid.Nil {
			err = fmt.Errorf("%w: Reverses is set by Reverse only", ErrInvalidEntry)
		}
		if err == nil && !opts.system && strings.HasPrefix(n.IdempotencyKey, reservedKeyPrefix) {
			err = fmt.Errorf("%w: idempotency keys starting %q are the ledger's own", ErrInvalidEntry, reservedKeyPrefix)
		}
		if err != nil {
			bad = append(bad, &EntryError{i, err})
			continue
		}
		norm[i] = n
		if n.IdempotencyKey != "" {
			keys = append(keys, n.IdempotencyKey)
		}
	}
	if bad != nil {
		return nil, &BatchError{bad}
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	codes := accountCodes(norm)
	if needsBase(norm) {
		// Lines with base amounts may need the rounding account: load it
		// with the others (the check below uses the calendar it reads).
		cal, err := l.store.Calendar(ctx, tenant)
		if err != nil {
			return nil, err
		}
		if ra := cal.Base.RoundingAccount; ra != "" && !slices.Contains(codes, ra) {
			codes = append(codes, ra)
			slices.Sort(codes)
		}
	}
	lenient := opts.system || opts.reversal
	out := make([]Entry, len(norm))
	err := l.store.Append(ctx, tenant, codes, keys, func(st PostState) ([]Entry, error) {
		if opts.check != nil {
			if err := opts.check(st); err != nil {
				return nil, err
			}
		}
		posted := l.timestamp()
		var write []Entry
		var bad []*EntryError
		batchKeys := map[string]Entry{}
		for i, e := range norm {
			baseErr := applyBase(&e, st.Calendar.Base, lenient)
			if e.IdempotencyKey != "" {
				prev, ok := st.Existing[e.IdempotencyKey]
				if !ok {
					prev, ok = batchKeys[e.IdempotencyKey]
				}
				if ok {
					if !sameContent(prev, e) {
						bad = append(bad, &EntryError{i, fmt.Errorf("%w: key %q", ErrIdempotencyConflict, e.IdempotencyKey)})
					}
					out[i] = prev
					continue
				}
			}
			if baseErr != nil {
				bad = append(bad, &EntryError{i, baseErr})
				continue
			}
			if !opts.system && st.Calendar.IsClosed(e.Date) {
				bad = append(bad, &EntryError{i, fmt.Errorf("%w: %s is on or before %s, the end of the last closed period",
					ErrPeriodClosed, e.Date, st.Calendar.ClosedThrough)})
				continue
			}
			if err := resolve(&e, st.Accounts, st.Dimensions); err != nil {
				bad = append(bad, &EntryError{i, err})
				continue
			}
			e.ID = uuid.Must(uuid.NewV7())
			e.PostedAt = posted
			out[i] = e
			write = append(write, e)
			if e.IdempotencyKey != "" {
				batchKeys[e.IdempotencyKey] = e
			}
		}
		if bad != nil {
			return nil, &BatchError{bad}
		}
		return write, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// resolve sets each line's account ID and checks the account takes the line.
func resolve(e *Entry, accounts map[string]Account, declared map[string]Dimension) error {
	lines := slices.Clone(e.Lines)
	for i := range lines {
		a, ok := accounts[lines[i].Account]
		if !ok {
			return &LineError{i, fmt.Errorf("%w: %s", ErrAccountNotFound, lines[i].Account)}
		}
		if a.Blocked {
			return &LineError{i, fmt.Errorf("%w: %s", ErrAccountBlocked, a.Code)}
		}
		if !a.allows(lines[i].Currency) {
			return &LineError{i, fmt.Errorf("%w: %s does not take %s", ErrCurrencyNotAllowed, a.Code, lines[i].Currency)}
		}
		if err := checkDimensions(lines[i], a, declared); err != nil {
			return &LineError{i, err}
		}
		lines[i].AccountID = a.ID
	}
	e.Lines = lines
	return nil
}

// Entry returns the tenant's entry with the ID, or ErrEntryNotFound.
func (l *Ledger) Entry(ctx context.Context, tenant string, id uuid.UUID) (Entry, error) {
	if err := validateTenant(tenant); err != nil {
		return Entry{}, err
	}
	return l.store.Entry(ctx, tenant, id)
}

// Entries lists the tenant's entries that q selects, in posting order. Page
// through many by passing the last ID seen as q.After.
func (l *Ledger) Entries(ctx context.Context, tenant string, q EntryQuery) ([]Entry, error) {
	if err := validateTenant(tenant); err != nil {
		return nil, err
	}
	if (!q.From.IsZero() && !q.From.Valid()) || (!q.To.IsZero() && !q.To.Valid()) {
		return nil, fmt.Errorf("%w: date range %s..%s", ErrInvalidQuery, q.From, q.To)
	}
	if q.Limit <= 0 {
		q.Limit = 100
	}
	if q.Limit > 10000 {
		return nil, fmt.Errorf("%w: limit %d above 10000", ErrInvalidQuery, q.Limit)
	}
	return l.store.Entries(ctx, tenant, q)
}

// Balances returns the balances q selects, signed by each account's normal side.
func (l *Ledger) Balances(ctx context.Context, tenant string, q BalanceQuery) ([]Balance, error) {
	if err := validateTenant(tenant); err != nil {
		return nil, err
	}
	cal, err := l.store.Calendar(ctx, tenant)
	if err != nil {
		return nil, err
	}
	return l.balances(ctx, tenant, q, cal.Base.Currency)
}

// balances is Balances for a caller that has read the tenant's calendar:
// base is its base currency, whose balances have base values equal to
// their amounts (the store keeps no base amounts for them).
func (l *Ledger) balances(ctx context.Context, tenant string, q BalanceQuery, base string) ([]Balance, error) {
	if err := q.validate(); err != nil {
		return nil, err
	}
	bs, err := l.store.Balances(ctx, tenant, q)
	if err != nil {
		return nil, err
	}
	for i := range bs {
		b := &bs[i]
		b.sign()
		if b.Currency == base {
			b.BaseDebit, b.BaseCredit, b.BaseBalance = b.Debit, b.Credit, b.Balance
		}
	}
	return bs, nil
}

// Balance returns one account's balance in one currency as of a date (zero:
// all postings). An account without postings has a zero balance;
// ErrAccountNotFound when the account does not exist.
func (l *Ledger) Balance(ctx context.Context, tenant, code, currency string, asOf Date) (Balance, error) {
	a, err := l.Account(ctx, tenant, code)
	if err != nil {
		return Balance{}, err
	}
	bs, err := l.Balances(ctx, tenant, BalanceQuery{Accounts: []string{code}, Currency: currency, AsOf: asOf})
	if err != nil {
		return Balance{}, err
	}
	if len(bs) == 1 {
		return bs[0], nil
	}
	b := Balance{Account: a.Code, Name: a.Name, Type: a.Type, NormalSide: a.NormalSide, Currency: normalizeCurrency(currency)}
	b.sign()
	return b, nil
}

// TrialBalance returns the tenant's trial balance as of a date (zero: all postings).
func (l *Ledger) TrialBalance(ctx context.Context, tenant string, asOf Date) (TrialBalance, error) {
	return l.TrialBalanceFor(ctx, tenant, BalanceQuery{AsOf: asOf})
}

// TrialBalanceFor returns the trial balance of the balances q selects:
// filtered by dimension values (q.Dimensions) and split into rows per
// dimension value (q.GroupBy). A filtered trial balance balances when every
// entry carries the filter's values on all its lines, as entries of one
// site or project do; otherwise it shows that site's side of the entries.
func (l *Ledger) TrialBalanceFor(ctx context.Context, tenant string, q BalanceQuery) (TrialBalance, error) {
	if err := validateTenant(tenant); err != nil {
		return TrialBalance{}, err
	}
	cal, err := l.store.Calendar(ctx, tenant)
	if err != nil {
		return TrialBalance{}, err
	}
	bs, err := l.balances(ctx, tenant, q, cal.Base.Currency)
	if err != nil {
		return TrialBalance{}, err
	}
	tb := newTrialBalance(q.AsOf, bs, true)
	tb.BaseTotal.Currency = cal.Base.Currency
	return tb, nil
}
