from tenestetorget.routing.text import for_classification, strip_quoted


def test_a_quoted_earlier_message_and_the_signature_are_cut() -> None:
    body = (
        "Hei, når kjem brøytebilen?\n\nHelsing Kari\n-- \nKari Nes, tlf 900 00 000\n"
        "Den 3. mars 2026 kl. 10:12 skreiv Tenestetorget <post@vinje.kommune.no>:\n"
        "> Vi har motteke e-posten din om faktura.\n"
    )
    kept = strip_quoted(body)
    assert "brøytebilen" in kept
    assert "faktura" not in kept and "tlf" not in kept


def test_an_english_reply_and_a_phone_signature_are_cut() -> None:
    body = "Can I book the cabin?\nSent from my iPhone\nOn Mon, 2 Mar 2026, Ola wrote:\n> invoice"
    assert strip_quoted(body).strip() == "Can I book the cabin?"


def test_a_bare_forward_keeps_the_forwarded_text() -> None:
    body = "---------- Forwarded message ---------\nFrom: Ola\nVassleidning sprokken i kjellaren"
    assert "Vassleidning" in strip_quoted(body)


def test_numbers_addresses_and_links_become_tokens() -> None:
    text = for_classification(
        "Gnr. 12 bnr. 34", "Sjå https://vinje.no/x eller skriv til ola@vegvesen.no, tlf 35 06 20 00"
    )
    assert "12" not in text and "34" not in text and "35 06" not in text
    assert "vegvesen.no" in text and "ola@" not in text
    assert "lenkje" in text and "https" not in text
