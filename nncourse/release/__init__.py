"""Releasing the course: the student notebooks (:mod:`.generate`), the pinned ref
(:mod:`.ref`), the notebooks' Colab set-up cell (:mod:`.colab`), the Colab and Binder links
(:mod:`.links`) and the README's generated tables (:mod:`.readme`)."""
