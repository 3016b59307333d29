"""The SPARQL lexer the guard and the remote store share: one regular expression that splits a
query into lexemes (strings, IRIs, comments, language tags, variables, names, brackets), and the
query forms. Neither needs more than this to find a query's form or its keywords outside
strings and comments, and the remote store needs nothing else of the guard.
"""

from __future__ import annotations

import re

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

# Lexemes that can hide a keyword (strings, IRIs, comments, language tags, names) are matched
# whole; what remains are keywords, brackets and punctuation. Every alternative is linear: a
# name is one maximal run of name characters (a keyword, a prefixed name, a blank node label or
# a number), so no text makes the lexer rescan what follows a position it has already passed.
LEXEME = re.compile(
    r'''
      (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
                 |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<comment>\#[^\n\r]*)
    | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<var>[?$]\w+)
    | (?P<name>[\w.:%\-]+)
    | (?P<open><<\(?|[({\[])
    | (?P<close>\)?>>|[)}\]])
    | (?P<other>\S)
''',
    re.VERBOSE | re.DOTALL,
)
