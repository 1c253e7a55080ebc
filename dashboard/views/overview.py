"""Overview: the case, its documents, its parties and a timeline of documents and first disclosures."""
import altair as alt
import streamlit as st

from analyzer.serve import has_text, timeline_frame
from dashboard.state import NO_TEXT, active_result, case_caption, md

result = active_result()
st.title("Overview")
case_caption(result)
if result.case.organisation:
    st.markdown(f"Organisation in crisis: **{md(result.case.organisation)}**")
if not has_text(result):
    st.info(NO_TEXT)

left, right = st.columns([3, 2])
with left:
    st.subheader("Documents")
    st.dataframe(result.documents[["doc_id", "outlet", "date", "language", "kind", "channel", "n_sentences",
                                   "n_statements", "title"]], hide_index=True, width="stretch")
with right:
    st.subheader("Parties")
    declared = {party.name for party in result.case.parties}
    parties = result.disclosures[["party", "role"]].drop_duplicates().assign(
        declared=lambda frame: frame["party"].isin(declared))
    st.dataframe(parties, hide_index=True, width="stretch")

st.subheader("Timeline")
timeline = timeline_frame(result)
if timeline.empty:
    st.info("No document of this case has a date, so there is no timeline.")
else:
    chart = alt.Chart(timeline).mark_point(filled=True, size=120).encode(
        x=alt.X("day:T", title="date"),
        y=alt.Y("who:N", title=None),
        color=alt.Color("event:N", title=None),
        shape=alt.Shape("event:N", title=None),
        tooltip=["date", "event", "who", "what", "doc_id"],
    ).properties(height=alt.Step(28))
    st.altair_chart(chart, width="stretch")
    st.caption("Each first disclosure is placed on the date of the earliest document in which the party "
               "states the fact.")

for warning in result.warnings:
    st.warning(md(warning))
