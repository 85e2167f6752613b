"""The words of q in memory: the vocabulary of the published courses' lines of index words and,
for each vocabulary word, the rows of its courses (as the database's SearchWord and CourseWord).

A word of q has no space, so it occurs in a course's line exactly when it occurs inside one of
the line's words: looking it up in the vocabulary, then reading its words' courses, gives the
same courses as checking every line, for a fraction of the cost (the vocabulary is much smaller
than the lines). Built on the first search with q of each snapshot (portal.search.memory).
"""
from __future__ import annotations

from array import array

import numpy as np

# A word of q found in more vocabulary words than this marks its courses with one pass over
# every (word, course) pair rather than slice by slice.
MAX_SLICED_WORDS = 64


class TextIndex:
    def __init__(self, lines: list[str]) -> None:
        self.size = len(lines)
        self.vocabulary: dict[str, int] = {}
        vocabulary = self.vocabulary
        # Line by line into compact arrays: all the words of 100,000 lines at once as Python
        # strings would take ~150 MB for a moment (and the worker would keep that memory).
        words_of_lines, counts = array("i"), array("i")
        for line in lines:
            words = line.split()
            words_of_lines.extend([vocabulary.setdefault(word, len(vocabulary)) for word in words])
            counts.append(len(words))
        word_of = np.frombuffer(words_of_lines, dtype=np.int32) if words_of_lines else np.zeros(0, np.int32)
        row_of = np.repeat(np.arange(len(lines), dtype=np.int32), np.frombuffer(counts, dtype=np.int32)
                           if counts else np.zeros(0, np.int32))
        order = np.argsort(word_of, kind="stable")
        self.word_of, self.row_of = word_of[order], row_of[order]
        self.first = np.searchsorted(self.word_of, np.arange(len(self.vocabulary) + 1))

    def holding(self, word: str) -> np.ndarray:
        """Whether ``word`` occurs in each row's line (a mask of every row)."""
        found = [index for known, index in self.vocabulary.items() if word in known]
        mask = np.zeros(self.size, dtype=bool)
        if len(found) <= MAX_SLICED_WORDS:
            for index in found:
                mask[self.row_of[self.first[index]:self.first[index + 1]]] = True
        else:
            wanted = np.zeros(len(self.vocabulary), dtype=bool)
            wanted[found] = True
            mask[self.row_of[wanted[self.word_of]]] = True
        return mask
