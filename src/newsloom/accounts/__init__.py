"""Readers' accounts (django-allauth for sign-up, sign-in and e-mail), their profile and their own newsloom:
follows, saved articles, muted sources and read marks."""
