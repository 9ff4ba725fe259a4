"""Tokens and features: offline sentence splitting, stop words, stems and multi-word phrases.

Everything here runs on what ships inside NLTK and scikit-learn; nothing is downloaded.

* Sentences: NLTK's Punkt splitter, trained on the corpus's own text
  (:func:`train_sentence_splitter`), so it learns the corpus's abbreviations ("U.S.", "etc.").
* Words: the project's word pattern (:data:`analysis.corpus.normalise.WORD_RE`: letters and digits joined
  by apostrophes or hyphens) on normalised text (plain quotes, dashes and spaces), the
  approach of NLTK's ``RegexpTokenizer`` with Python's own ``re`` for speed.
* Features: lower-cased words without clitics ("Azerbaijan's" is "azerbaijan"), stop words
  removed (:data:`STOP_WORDS`), optionally reduced to their Snowball stem, with frequent
  multi-word expressions kept as one feature ("territorial integrity", "line of contact").
* Labels: a stemmed feature is shown as its most frequent surface form ("liberated", not
  "liber"); see :meth:`TextProcessor.label`.

A :class:`TextProcessor` holds these choices; :func:`make_processor` learns the phrases of a
corpus and returns one.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import pandas as pd
from nltk.collocations import (
    BigramAssocMeasures,
    BigramCollocationFinder,
    TrigramAssocMeasures,
    TrigramCollocationFinder,
)
from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..corpus.normalise import WORD_RE, normalize_text, plain_characters

#: Words that carry no content in interview transcripts, added to scikit-learn's English list:
#: conversational fillers and hedges ("yes", "okay", "course", "really"), verbs of saying and
#: thinking that frame every answer ("say", "think", "know", "want", "going"), forms of address
#: ("mr"), the remains of contractions once the clitic is split off ("ca" from "can't", "wo"
#: from "won't") and words that sklearn's list lacks ("let", "lot", "did", "does").
DOMAIN_STOP_WORDS = frozenset(
    """
    yes okay ok oh well sure course really just actually certainly probably maybe
    say says said saying tell told think thinks thought know knows knew want wants wanted
    going gonna let lets lot lots did does doing got get gets mr mrs ms ca wo thank thanks
    way things thing like
""".split()
)

#: The stop words used by default: scikit-learn's English list plus :data:`DOMAIN_STOP_WORDS`.
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | DOMAIN_STOP_WORDS

#: Words of speaker labels that name a role, not a person: never taken for a vocative.
ROLE_WORDS = frozenset(
    """
    host anchor moderator correspondent interviewer reporter journalist speaker unidentified unknown
    male female audience narrator caller guest question answer editor chief president minister
    presenter commentator voice announcer participant interpreter translator crowd
""".split()
)


def speaker_name_words(turns: pd.DataFrame) -> list[str]:
    """The words of the names of the corpus's own speakers other than the focal speaker
    (interviewers and others who open a turn with a label: ``SEAN HANNITY`` gives ``sean`` and
    ``hannity``), lower case, sorted: the vocatives that lead a focal speaker's keywords ("Well,
    Sean, ..."). Role words (:data:`ROLE_WORDS`), stop words, single letters and words with
    digits are left out. ``turns`` is turns.csv (columns role, label, speaker)."""
    labelled = turns[turns["role"].isin(["interviewer", "other"]) & turns["label"].str.contains(r"[^\W\d_]")]
    words = {w.casefold() for name in labelled["speaker"].unique() for w in WORD_RE.findall(name)}
    return sorted(w for w in words if len(w) > 1 and w.isalpha() and w not in ROLE_WORDS and w not in STOP_WORDS)


def corpus_stop_words(stop_words: Iterable[str], turns: pd.DataFrame, speaker_names: bool = True) -> tuple[str, ...]:
    """A corpus's own stop words (config ``stop_words``) and, with ``speaker_names`` (config
    ``speaker_names_are_stop_words``, true by default), its speakers' names
    (:func:`speaker_name_words`), to leave out of word counts, keywords and topics."""
    names = speaker_name_words(turns) if speaker_names else []
    return tuple(dict.fromkeys([*stop_words, *names]))


#: Words allowed in the middle of a three-word phrase ("line of contact").
PHRASE_LINKS = frozenset({"of"})

# The United States would otherwise be the stop word "us" or the letters "u" and "s"; these
# spellings are kept whole and read as "usa".
_USA_TOKEN = r"U\.S\.(?:A\.)?"
_USA_FORMS = frozenset({"US", "USA", "U.S.", "U.S.A.", "U.S"})
# Compiled with Python's re: NLTK's RegexpTokenizer now compiles every pattern through its
# ReDoS guard (the third-party regex engine with a timeout), which is 2.5 times slower here and
# buys nothing for a fixed pattern of our own.
_TOKEN_RE = re.compile(f"{_USA_TOKEN}|{WORD_RE.pattern}")
_CLITIC = re.compile(r"(?:n't|'s|'re|'ve|'ll|'d|'m|s')$")
_STEMMER = SnowballStemmer("english")


def tokenize(text: str) -> list[str]:
    """Words of ``text`` in order, lower-cased, clitics kept ("azerbaijan's", "don't").

    Quotes, dashes and spaces are normalised first; "U.S." and "US" become "usa" so that the
    country is not lost as the pronoun "us".
    """
    return [_lower(t) for t in _TOKEN_RE.findall(plain_characters(text))]


def _lower(token: str) -> str:
    return "usa" if token in _USA_FORMS else token.lower()


#: Learning from text stops growing more accurate long before a large corpus ends: Punkt and
#: phrase finding read at most this many characters (about 350,000 words), spread evenly over
#: the corpus. The seed corpus is far below it.
SAMPLE_CHARS = 2_000_000


def sample_texts(texts: Iterable[str], max_chars: int = SAMPLE_CHARS) -> list[str]:
    """``texts`` if they hold at most ``max_chars`` characters, else every n-th text with n
    chosen to stay under it (the first text always included). Deterministic."""
    texts = list(texts)
    total = sum(len(t) for t in texts)
    if total <= max_chars:
        return texts
    step = -(-total // max_chars)
    return texts[::step]


def train_sentence_splitter(texts: Iterable[str]) -> PunktSentenceTokenizer:
    """A Punkt sentence splitter (Kiss and Strunk 2006) trained on ``texts`` themselves (on a
    sample of them for a corpus beyond :data:`SAMPLE_CHARS`).

    Training is unsupervised and needs no download; the same texts give the same splitter.
    """
    return _train_splitter(tuple(normalize_text(t) for t in sample_texts(texts)))


@lru_cache(maxsize=8)
def _train_splitter(texts: tuple[str, ...]) -> PunktSentenceTokenizer:
    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = True
    trainer.train("\n\n".join(texts), finalize=True)
    return PunktSentenceTokenizer(trainer.get_params())


def split_sentences(text: str, splitter: PunktSentenceTokenizer) -> list[str]:
    """Sentences of ``text`` (normalised) according to ``splitter``."""
    return list(_split_sentences(text, splitter))


@lru_cache(maxsize=1 << 16)
def _split_sentences(text: str, splitter: PunktSentenceTokenizer) -> tuple[str, ...]:
    # Punkt is the slowest step of a chunk matrix, and the same turns are split again for the
    # phrases, the chunks and every rerun of a notebook cell: remember the last 65,536 turns.
    return tuple(splitter.tokenize(normalize_text(text)))


def strip_clitic(token: str) -> str:
    """``token`` without an English clitic: "azerbaijan's" -> "azerbaijan", "don't" -> "do"."""
    return _CLITIC.sub("", token.replace("\u2019", "'"))


def stem(word: str) -> str:
    """The Snowball (Porter2) stem of one lower-case word."""
    return _stem(word)


@lru_cache(maxsize=1 << 18)
def _stem(word: str) -> str:
    # Snowball is pure Python (about 12 microseconds a word): stem each word type once per session.
    return _STEMMER.stem(word)


def _content_word(token: str, stop_words: frozenset[str]) -> bool:
    return len(token) > 1 and token not in stop_words and any(c.isalpha() for c in token)


def find_phrases(
    texts: Iterable[str],
    min_count: int | None = None,
    min_npmi: float = 0.6,
    stop_words: frozenset[str] = STOP_WORDS,
    splitter: PunktSentenceTokenizer | None = None,
) -> pd.DataFrame:
    """Multi-word expressions of ``texts``: word pairs and "X of Y" triples that occur together
    far more often than their words alone would predict.

    Candidates are counted within sentences (a Punkt splitter trained on ``texts`` unless one is
    given). A pair must be two content words (not stop words, not numbers); a triple must be
    content word, "of", content word. The association is normalised pointwise mutual information
    (Bouma 2009), which does not grow with the size of the corpus::

        npmi = log(p(w1..wn) / (p(w1) ... p(wn))) / ((n - 1) * -log p(w1..wn))

    It is 1 for words that only ever occur together and 0 for independent words; with n = 3 the
    factor n - 1 keeps that scale. Kept are candidates seen at least ``min_count`` times (by
    default 10, or one in every 10,000 words of a larger corpus, so that the list does not grow
    with the corpus) with ``npmi >= min_npmi``. A corpus beyond :data:`SAMPLE_CHARS` is read
    from an even sample of its texts. The default 0.6 keeps fixed expressions of the seed corpus ("status
    quo" 0.98, "minsk group" 0.96, "occupied territories" 0.80, "line of contact" 0.66) and drops
    compositional pairs ("armenian army" 0.36, "armenian people" 0.34). Where two phrases could
    chain or nest ("osce minsk" and "minsk group"), only the stronger is kept, so that each word
    belongs to at most one phrase.

    Returns one row per phrase, most frequent first, with columns ``phrase`` (words joined by
    a space), ``n_words``, ``count``, ``npmi`` and ``g2`` (log-likelihood association, Dunning
    1993, as NLTK's ``likelihood_ratio`` computes it).
    """
    texts = sample_texts(texts)
    sentences = _word_sentences(texts, splitter or train_sentence_splitter(texts))
    if min_count is None:
        min_count = max(10, sum(map(len, sentences)) // 10_000)
    candidates = _count_candidates(sentences, min_count, stop_words)
    kept = _keep_strongest(_score_candidates(candidates), min_npmi)
    table = pd.DataFrame(
        [(" ".join(w), len(w), c, n, g) for w, c, n, g in kept], columns=["phrase", "n_words", "count", "npmi", "g2"]
    )
    return table.sort_values(["count", "phrase"], ascending=[False, True], ignore_index=True)


def _word_sentences(texts: list[str], splitter: PunktSentenceTokenizer) -> list[list[str]]:
    """Every sentence of ``texts`` (split by ``splitter``) as its words: lower case, clitics
    removed (:func:`tokenize`, :func:`strip_clitic`), stop words kept."""
    return [[strip_clitic(w) for w in tokenize(s)] for text in texts for s in split_sentences(text, splitter)]


def _count_candidates(
    sentences: list[list[str]], min_count: int, stop_words: frozenset[str]
) -> list[tuple[BigramCollocationFinder | TrigramCollocationFinder, type]]:
    """NLTK's collocation finders over ``sentences`` with their association measures: pairs of
    two content words and "X of Y" triples (:data:`PHRASE_LINKS` in the middle), each seen at
    least ``min_count`` times. Returns [(pair finder, bigram measures), (triple finder, trigram
    measures)]."""
    pairs = BigramCollocationFinder.from_documents(sentences)
    pairs.apply_freq_filter(min_count)
    pairs.apply_word_filter(lambda w: not _content_word(w, stop_words))
    triples = TrigramCollocationFinder.from_documents(sentences)
    triples.apply_freq_filter(min_count)
    triples.apply_ngram_filter(
        lambda a, b, c: not (b in PHRASE_LINKS and _content_word(a, stop_words) and _content_word(c, stop_words))
    )
    return [(pairs, BigramAssocMeasures), (triples, TrigramAssocMeasures)]


def _score_candidates(candidates: list[tuple]) -> list[tuple[tuple[str, ...], int, float, float]]:
    """One row per candidate of :func:`_count_candidates`, pairs first, each in the order NLTK
    ranks them by G2: (words, count, npmi, g2)."""
    rows = []
    for finder, measure in candidates:
        for words, g2 in finder.score_ngrams(measure.likelihood_ratio):
            rows.append((words, finder.ngram_fd[words], _npmi(finder, words), g2))
    return rows


def _npmi(finder: BigramCollocationFinder | TrigramCollocationFinder, words: tuple[str, ...]) -> float:
    """Normalised PMI (Bouma 2009) of the n-gram ``words`` from ``finder``'s counts, with the
    factor n - 1 that keeps triples on the scale of pairs (formula in :func:`find_phrases`)."""
    n_all = finder.N
    p_joint = finder.ngram_fd[words] / n_all
    p_words = math.prod(finder.word_fd[w] / n_all for w in words)
    return math.log(p_joint / p_words) / ((len(words) - 1) * -math.log(p_joint))


def _keep_strongest(rows: list[tuple], min_npmi: float) -> list[tuple]:
    """The rows (words, count, npmi, g2) with ``npmi >= min_npmi``, strongest first (npmi, then
    count, then words), leaving out any that chains or nests with a stronger one kept
    (:func:`_overlap`)."""
    kept: list[tuple] = []
    for row in sorted(rows, key=lambda r: (-r[2], -r[1], r[0])):
        if row[2] >= min_npmi and not any(_overlap(row[0], k[0]) for k in kept):
            kept.append(row)
    return kept


def _overlap(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """True if phrases ``a`` and ``b`` share words at a boundary or one contains the other."""
    for x, y in ((a, b), (b, a)):
        if any(x[-k:] == y[:k] for k in range(1, min(len(x), len(y)) + 1)):
            return True
        if any(x[i : i + len(y)] == y for i in range(len(x) - len(y) + 1)):
            return True
    return False


class TextProcessor:
    """Turns text into features; holds the choices (stop words, stemming, phrases).

    ``phrases`` are lower-case word sequences joined by spaces ("line of contact"); each
    occurrence becomes one feature. With ``stem=True`` every word (and every word of a phrase)
    is reduced to its Snowball stem, so "territory" and "territories" are one feature; labels
    stay readable through :meth:`labels`. Numbers are dropped unless ``keep_numbers``.

    The processor caches the feature of each word type it has seen, so counting a large corpus
    costs one regular-expression pass over the text, a set lookup per word for phrase starts,
    and the stemming of each word type once.
    """

    def __init__(
        self,
        phrases: Iterable[str] = (),
        stem: bool = True,
        stop_words: Iterable[str] = STOP_WORDS,
        keep_numbers: bool = False,
    ):
        self.phrases = tuple(sorted({" ".join(p.lower().split()) for p in phrases}, key=lambda p: (-len(p.split()), p)))
        self.stem = stem
        self.stop_words = frozenset(stop_words)
        self.keep_numbers = keep_numbers
        # Phrases by their first word, in the case variants a transcript uses, longest first.
        self._phrase_starts: dict[str, list[tuple[str, ...]]] = {}
        for phrase in self.phrases:
            words = tuple(phrase.split())
            for variant in {words[0], words[0].capitalize(), words[0].title(), words[0].upper()}:
                self._phrase_starts.setdefault(variant, []).append(words)
        self._features: dict[str, str | None] = {}
        self._surfaces: dict[str, str] = {}

    def __repr__(self) -> str:
        return (
            f"TextProcessor(stem={self.stem}, phrases={len(self.phrases)}, "
            f"stop_words={len(self.stop_words)}, keep_numbers={self.keep_numbers})"
        )

    def surface_tokens(self, text: str) -> list[str]:
        """Tokens of ``text`` as written (case kept, typographic characters made plain), the
        words of each phrase joined into one token ("Line of contact"); stop words are still in.

        A phrase matches consecutive words in any case; punctuation between them is not looked
        at, which costs a rare false match ("Minsk. Group") and saves a slow regular expression.
        """
        tokens = _TOKEN_RE.findall(plain_characters(text))
        starts = self._phrase_starts
        if not starts:
            return tokens
        hits = [i for i, w in enumerate(tokens) if w in starts]
        if not hits:
            return tokens
        merged, done = [], 0
        for i in hits:
            if i < done:
                continue
            for words in starts[tokens[i]]:
                end = i + len(words)
                if end <= len(tokens) and all(
                    strip_clitic(t.lower()) == w for t, w in zip(tokens[i + 1 : end], words[1:])
                ):
                    merged.extend(tokens[done:i])
                    merged.append(" ".join(tokens[i:end]))
                    done = end
                    break
        merged.extend(tokens[done:])
        return merged

    def count_surface(self, text: str) -> Counter:
        """Counts of the surface tokens of ``text`` (see :meth:`surface_tokens`)."""
        return Counter(self.surface_tokens(text))

    def feature(self, token: str) -> str | None:
        """The feature of one surface token, or None if it is a stop word or a number."""
        try:
            return self._features[token]
        except KeyError:
            pass
        surface = strip_clitic(_lower(token))
        words = surface.split()
        if len(words) > 1:
            feature = " ".join(_stem(w) if self.stem else w for w in words)
        elif (
            len(surface) < 2
            or surface in self.stop_words
            or not (self.keep_numbers or any(c.isalpha() for c in surface))
        ):
            feature = None
        else:
            feature = _stem(surface) if self.stem else surface
        self._features[token] = feature
        self._surfaces[token] = " ".join(words)
        return feature

    def features(self, text: str) -> list[str]:
        """The features of ``text`` in order (stop words and numbers removed)."""
        feature = self.feature
        return [f for f in map(feature, self.surface_tokens(text)) if f is not None]

    def count_features(self, surface_counts: Counter) -> Counter:
        """Feature counts from surface-token counts (as returned by :meth:`count_surface`)."""
        counts: Counter = Counter()
        feature = self.feature
        for token, n in surface_counts.items():
            f = feature(token)
            if f is not None:
                counts[f] += n
        return counts

    def labels(self, surface_counts: Counter) -> dict[str, str]:
        """A readable label for each feature: its most frequent surface form in
        ``surface_counts`` (ties go to the alphabetically first form)."""
        by_feature: dict[str, Counter] = {}
        for token, n in surface_counts.items():
            f = self.feature(token)
            if f is not None:
                by_feature.setdefault(f, Counter())[self._surfaces[token]] += n
        return {f: min(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0] for f, forms in by_feature.items()}


def make_processor(
    texts: Iterable[str],
    stem: bool = True,
    min_count: int | None = None,
    stop_words: Iterable[str] = STOP_WORDS,
    extra_phrases: Iterable[str] = (),
    keep_numbers: bool = False,
) -> TextProcessor:
    """A :class:`TextProcessor` whose phrases are learned from ``texts`` by :func:`find_phrases`
    (seen at least ``min_count`` times; by default as :func:`find_phrases` decides), plus any
    ``extra_phrases`` you name yourself."""
    found = _learned_phrases(tuple(texts), min_count, frozenset(stop_words))
    return TextProcessor([*found, *extra_phrases], stem=stem, stop_words=stop_words, keep_numbers=keep_numbers)


@lru_cache(maxsize=4)
def _learned_phrases(texts: tuple[str, ...], min_count: int | None, stop_words: frozenset[str]) -> tuple[str, ...]:
    # Learned once per corpus and choice: a notebook cell rerun builds the same processor again.
    return tuple(find_phrases(texts, min_count=min_count, stop_words=stop_words)["phrase"])
