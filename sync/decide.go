package sync

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
)

// Conflicts lists the tenant's conflicts f selects, oldest first.
func (s *Server) Conflicts(ctx context.Context, c Caller, f ConflictFilter) ([]Conflict, error) {
	if c.Tenant == "" {
		return nil, fmt.Errorf("%w: no tenant", ErrInvalid)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	return s.store.SyncConflicts(ctx, c.Tenant, f)
}

// Conflict returns one conflict, or ErrConflictNotFound.
func (s *Server) Conflict(ctx context.Context, c Caller, id uuid.UUID) (Conflict, error) {
	if c.Tenant == "" {
		return Conflict{}, fmt.Errorf("%w: no tenant", ErrInvalid)
	}
	return s.store.SyncConflict(ctx, c.Tenant, id)
}

// Approve applies the client's values of a pending conflict as a new server
// change: the mutation's mutator runs again, and its Check of the
// conflict's entity writes the client's values (all of them for
// ClientOverride and Manual, the conflicting ones for FieldMerge). The
// decision is recorded with c.User and the time. Errors:
// ErrConflictNotFound, ErrConflictDecided, the mutator's error (nothing
// changed).
func (s *Server) Approve(ctx context.Context, c Caller, id uuid.UUID) (Conflict, error) {
	return s.decide(ctx, c, id, StatusApproved, func(cf Conflict) (Fields, error) {
		if cf.Strategy == ClientOverride || cf.Strategy == Manual {
			return cf.Local.clone(), nil
		}
		out := Fields{}
		for _, f := range cf.Fields {
			out[f.Field] = f.Local
		}
		return out, nil
	})
}

// Reject keeps the server's values of a pending conflict, recording c.User
// and the time. Errors: ErrConflictNotFound, ErrConflictDecided.
func (s *Server) Reject(ctx context.Context, c Caller, id uuid.UUID) (Conflict, error) {
	return s.decide(ctx, c, id, StatusRejected, nil)
}

// Choose resolves a pending conflict with the values a person chose for
// its conflicting fields (fields not given keep the server's value; for
// ClientOverride and Manual the client's non-conflicting changes are
// applied too), by running the mutator again as Approve does. Errors:
// ErrInvalid for a field that is not in conflict (nothing changed),
// ErrConflictNotFound, ErrConflictDecided, the mutator's error.
func (s *Server) Choose(ctx context.Context, c Caller, id uuid.UUID, values Fields) (Conflict, error) {
	if len(values) == 0 {
		return Conflict{}, fmt.Errorf("%w: no values chosen", ErrInvalid)
	}
	for _, v := range values {
		if !json.Valid(v) {
			return Conflict{}, fmt.Errorf("%w: a chosen value is not JSON", ErrInvalid)
		}
	}
	return s.decide(ctx, c, id, StatusResolved, func(cf Conflict) (Fields, error) {
		out := Fields{}
		if cf.Strategy == ClientOverride || cf.Strategy == Manual {
			for k, v := range cf.Local {
				if _, conflicting := cf.field(k); !conflicting {
					out[k] = v
				}
			}
		}
		for k, v := range values {
			if _, ok := cf.field(k); !ok {
				return nil, fmt.Errorf("%w: field %q is not in conflict", ErrInvalid, k)
			}
			out[k] = canon(v)
		}
		return out, nil
	})
}

func (s *Server) decide(ctx context.Context, c Caller, id uuid.UUID, status ConflictStatus, values func(Conflict) (Fields, error)) (Conflict, error) {
	if c.Tenant == "" || c.User == "" {
		return Conflict{}, fmt.Errorf("%w: a decision needs a tenant and a user", ErrInvalid)
	}
	var out Conflict
	err := s.store.SyncTx(ctx, c.Tenant, func(tx Tx) error {
		cf, err := tx.LockConflict(ctx, id)
		if err != nil {
			return err
		}
		if cf.Status != StatusPending {
			return fmt.Errorf("%w: %s is %s", ErrConflictDecided, id, cf.Status)
		}
		if values != nil {
			fields, err := values(cf)
			if err != nil {
				return err
			}
			pusher := Caller{Tenant: c.Tenant, User: cf.User}
			if _, err := s.apply(ctx, tx, pusher, cf.ClientID, cf.Mutation, &decision{ref: cf.Entity, fields: fields, conflict: cf}); err != nil {
				return err
			}
			cf.Decision = fields
		}
		cf.Status, cf.DecidedBy, cf.DecidedAt = status, c.User, s.now()
		if err := tx.PutConflict(ctx, cf); err != nil {
			return err
		}
		out = cf
		return tx.AppendEvents(ctx, NewEvent{Type: "sync.conflict." + string(status), Entity: cf.Entity,
			Data: mustJSON(map[string]any{"conflict": cf.ID, "by": c.User})})
	})
	return out, err
}
