"""Similarity: which documents and parties say the same thing, echoes of wording, and framing."""
import altair as alt
import streamlit as st

from analyzer.serve import similarity_frames
from dashboard.state import active_result, case_caption, missing_table, stop_without_text

result = active_result()
st.title("Similarity")
case_caption(result)
stop_without_text(result)

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
        order = list(dict.fromkeys(pairs["a"]))
        chart = alt.Chart(pairs).mark_rect().encode(
            x=alt.X("a:N", sort=order, title=None, axis=alt.Axis(labelAngle=-30, labelLimit=160)),
            y=alt.Y("b:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)),
            color=alt.Color("similarity:Q", scale=alt.Scale(domain=[0, 1], scheme="blues")),
            tooltip=["a", "b", alt.Tooltip("similarity:Q", format=".2f")],
        ).properties(width=alt.Step(40), height=alt.Step(28))
        st.altair_chart(chart)

st.subheader("Echoes")
echoes = result.extra.get("echoes")
if echoes is None:
    missing_table("echoes")
elif echoes.empty:
    st.info("No passage is echoed from one document to another.")
else:
    st.dataframe(echoes, hide_index=True, width="stretch")

st.subheader("Framing")
framing = result.extra.get("framing")
if framing is None:
    missing_table("framing")
else:
    st.dataframe(framing, hide_index=True, width="stretch")
