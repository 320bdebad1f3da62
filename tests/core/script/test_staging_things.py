"""The plan's vocabulary: nouns found with their counts, and what a character sheet says it is."""

from studio.script.staging_things import VOCABULARY, ThingKind, character_kind, find_things


def test_the_vocabulary_holds_sixty_nouns_of_every_kind():
    assert len({t.noun for t in VOCABULARY}) == len(VOCABULARY) >= 60
    assert {t.kind for t in VOCABULARY} == set(ThingKind)
    assert all(all(side >= 0 for side in t.size) and max(t.size) > 0 for t in VOCABULARY)


def test_nouns_are_found_with_the_counts_the_text_gives():
    text = "Two old chairs by a table. Oil cans, a knife and three knives. The boat; the BOAT."
    assert find_things(text) == {"chair": 2, "table": 1, "can": 2, "knife": 3, "boat": 1}
    assert find_things("The tablecloth and a carpet.") == {}  # whole words only


def test_the_first_kind_word_of_a_sheet_decides_what_a_character_is():
    assert character_kind("a battered delivery drone with a parcel").kind == "drone"
    assert not character_kind("an old sheepdog, a dog of the hills").person
    assert character_kind("a girl walking her dog").kind == "child"
    assert character_kind("(10), a girl in a raincoat").size[2] < 1.5
    assert character_kind("(70s), the keeper, wiry").person
    assert character_kind("").kind == "person"


def test_a_sheets_words_give_its_build():
    from studio.script.staging_things import character_build

    assert character_build("KIT, a thin girl, broad smile later") == 0.8  # the first word decides
    assert character_build("MOSS, broad-shouldered and heavyset") == 1.25
    assert character_build("ODA, a lighthouse keeper") == 1.0
    assert character_build("KIT (10), a raincoat two sizes too big") == 1.0
