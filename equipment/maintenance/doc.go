// Package maintenance is the preventive maintenance part of the equipment
// engine: plans by meter (every 250 engine hours), by calendar (every 90
// days) or both, whichever comes first, and when the next service falls due
// under fixed or floating scheduling. It is pure: no context, no store.
//
// Work orders, parts and labour come with the maintenance issue.
package maintenance
