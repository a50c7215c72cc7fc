"""Language helpers the reading, grouping and enrichment stages share: what a text says, not where it came from.

``detect`` (which language), ``lexicon`` (stop words, month and number words, place and organisation aliases),
``figures`` and ``facts`` (numbers with their units, names of people, places and organisations), ``quotes`` (who said
what), ``hashtags`` (an article's and a story's tags, through yake) and ``cjk_terms`` (Chinese and Japanese terms,
which yake cannot segment). Plain strings in, plain values out.
"""
