"""Similarity: which documents and parties say the same thing, echoes of wording, and framing."""
import altair as alt
import pandas as pd
import streamlit as st

from analyzer.serve import similarity_frames
from dashboard.format import EMPTY, items
from dashboard.state import active_result, case_caption, missing_table, show_table, stop_without_text

result = active_result()
st.title("Similarity")
case_caption(result)
stop_without_text(result)


def _listed(value: object) -> str:
    """A ' | '-joined cell as a comma list (EMPTY when empty)."""
    return ", ".join(items(value)) or EMPTY


def _symmetric(pairs: pd.DataFrame) -> pd.DataFrame:
    """Each pair in both directions, so the heatmap is a square (a single pair: a 2 × 2 square)."""
    mirrored = pairs.rename(columns={"a": "b", "b": "a"})
    return pd.concat([pairs, mirrored], ignore_index=True).drop_duplicates(["a", "b"])


def _adopted(value: object) -> str:
    """'Zataz 0.333333 | geeky.news 1' -> 'Zataz (33%), geeky.news (100%)': whose words, in what share."""
    shown = []
    for part in items(value):
        name, _, share = part.rpartition(" ")
        try:
            shown.append(f"{name} ({float(share):.0%})" if name else part.strip())
        except ValueError:
            shown.append(part.strip())
    return ", ".join(shown)


METHODS = {"cross_lingual": "Cross-lingual (facts + figures, dates, names)", "words": "Words (same language)",
           "chars": "Character n-grams (same language)", "facts": "Facts disclosed", "anchors": "Figures, dates, names"}
method = st.radio("Method", list(METHODS), format_func=METHODS.get, horizontal=True, key="similarity_method")
heatmaps = similarity_frames(result, method)
if heatmaps is None:
    missing_table("similarity")
else:
    if not heatmaps:
        st.info("No pair to compare with this method (it needs two documents, or two in the same language).")
    for level, pairs in heatmaps.items():
        st.subheader(f"{level.capitalize()} similarity")
        square = _symmetric(pairs)
        order = list(dict.fromkeys([*pairs["a"], *pairs["b"]]))
        base = alt.Chart(square).encode(
            x=alt.X("a:N", sort=order, title=None, axis=alt.Axis(labelAngle=-30, labelLimit=180)),
            y=alt.Y("b:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)))
        cells = base.mark_rect(stroke="white").encode(
            color=alt.Color("similarity:Q", scale=alt.Scale(domain=[0, 1], scheme="blues"),
                            legend=alt.Legend(title="Similarity", format=".1f")),
            tooltip=[alt.Tooltip("a:N", title="First"), alt.Tooltip("b:N", title="Second"),
                     alt.Tooltip("similarity:Q", title="Similarity", format=".2f")])
        numbers = base.mark_text(fontSize=12).encode(
            text=alt.Text("similarity:Q", format=".2f"),
            color=alt.condition("datum.similarity > 0.55", alt.value("white"), alt.value("#222")))
        st.altair_chart((cells + numbers).properties(width=alt.Step(80), height=alt.Step(34)), width="content")
        st.caption(f"{len(pairs)} pair{'s' if len(pairs) != 1 else ''}; 0 is nothing in common, 1 the same. "
                   "The diagonal (a text with itself) is left blank.")

st.subheader("Echoes")
st.caption("A passage and the most similar earlier passage of another party or document.")
echoes = result.extra.get("echoes")
if echoes is None:
    missing_table("echoes")
elif echoes.empty:
    st.info("No passage is echoed from one document to another.")
else:
    show_table(echoes, {"source_name": ("Said by", 110), "text": ("Passage", 340), "echo_source_name": ("Echoes", 110),
                        "echo_text": ("Earlier passage", 340), "score": ("Similarity", 80)},
               score=st.column_config.NumberColumn("Similarity", format="%.2f", width=80))

st.subheader("Framing")
st.caption("Vague words for the attack (“virus”, “computer attack”) against specific ones (“ransomware”), "
           "and whose words each party adopts.")
framing = result.extra.get("framing")
if framing is None:
    missing_table("framing")
elif framing.empty:
    st.info("No wording for the attack was found.")
else:
    shown = framing.assign(**{c: framing[c].map(_listed) for c in ("vague_terms", "specific_terms", "first_used_by",
                                                                   "concepts", "language")},
                           adopted_from=framing["adopted_from"].map(_adopted))
    show_table(shown, {"name": ("Party or document", 170), "level": ("Level", 75), "framing": ("Framing", 75),
                       "vague_terms": ("Vague words", 190), "specific_terms": ("Specific words", 170),
                       "adopted_from": ("Words adopted from", 170), "language": ("Language", 75)})
