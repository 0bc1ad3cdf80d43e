"""What the catalogue's PDFs share. fpdf2's built-in fonts hold Latin-1 only, so text is
brought into it: typographic punctuation to its plain form, accented letters outside Latin-1
to their base letter, anything else to "?"."""

import unicodedata

PLAIN = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u00a0": " ",
        "\u2022": "-",
    }
)


def latin(text) -> str:
    text = str(text).translate(PLAIN)
    try:
        text.encode("latin-1")
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for ch in text:
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            folded = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
            out.append(folded or "?")
    return "".join(out)
