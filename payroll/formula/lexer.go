package formula

type tokKind int

const (
	tEOF tokKind = iota
	tNum
	tIdent
	tOp // + - * / ( ) , < <= > >= == != ! && ||
)

type token struct {
	kind tokKind
	text string
	pos  int // 1-based byte column
}

// MaxNumberLen is the longest number literal accepted, in characters.
const MaxNumberLen = 40

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdentStart(c byte) bool { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

func isIdentChar(c byte) bool { return isIdentStart(c) || isDigit(c) }

func lex(src string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case isDigit(c) || (c == '.' && i+1 < len(src) && isDigit(src[i+1])):
			j := i
			for j < len(src) && isDigit(src[j]) {
				j++
			}
			if j < len(src) && src[j] == '.' {
				j++
				for j < len(src) && isDigit(src[j]) {
					j++
				}
			}
			if j < len(src) && (isIdentStart(src[j]) || src[j] == '.') {
				return nil, &SyntaxError{Pos: j + 1, Msg: "malformed number " + quote(src[i:j+1])}
			}
			if j-i > MaxNumberLen {
				return nil, &SyntaxError{Pos: i + 1, Msg: "number literal too long"}
			}
			toks = append(toks, token{tNum, src[i:j], i + 1})
			i = j
		case isIdentStart(c):
			j := i
			for j < len(src) && isIdentChar(src[j]) {
				j++
			}
			toks = append(toks, token{tIdent, src[i:j], i + 1})
			i = j
		default:
			two := ""
			if i+1 < len(src) {
				two = src[i : i+2]
			}
			switch two {
			case "<=", ">=", "==", "!=", "&&", "||":
				toks = append(toks, token{tOp, two, i + 1})
				i += 2
				continue
			}
			switch c {
			case '+', '-', '*', '/', '(', ')', ',', '<', '>', '!':
				toks = append(toks, token{tOp, string(c), i + 1})
				i++
			case '=':
				return nil, &SyntaxError{Pos: i + 1, Msg: "use == to compare"}
			default:
				return nil, &SyntaxError{Pos: i + 1, Msg: "unexpected character " + quote(string(rune(c)))}
			}
		}
	}
	toks = append(toks, token{tEOF, "", len(src) + 1})
	return toks, nil
}

func quote(s string) string {
	const max = 20
	if len(s) > max {
		s = s[:max] + "..."
	}
	out := make([]byte, 0, len(s)+2)
	out = append(out, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			out = append(out, '?')
			continue
		}
		out = append(out, c)
	}
	return string(append(out, '"'))
}
