"""A small Berita-Viral-style demo site written for arsip, served offline on 127.0.0.1."""
