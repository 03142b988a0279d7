// Package archtest holds tests of the module's architecture
// (../shared/ARCHITECTURE.md): rules about which packages may import
// which, checked over the whole module. It has no code of its own.
package archtest
