"""Overview: who disclosed what, contradictions and what staff alone were told, then documents and timeline."""
import altair as alt
import pandas as pd
import streamlit as st

from analyzer.serve import evidence_frame, has_text, party_summary, timeline_frame
from dashboard.format import EMPTY, answer, fact_label, format_date, format_value, items, plural
from dashboard.state import NO_TEXT, active_result, case_caption, md, show_evidence, show_table

result = active_result()
st.title("Overview")
case_caption(result)
if result.case.organisation:
    st.markdown(f"Organisation in crisis: **{md(result.case.organisation)}**")
if not has_text(result):
    st.info(NO_TEXT)

summary = party_summary(result)
if has_text(result) and not summary.empty:
    known = int(summary["known"].iloc[0])
    st.subheader("Who disclosed what")
    st.caption(f"The case's known facts are the {plural(known, 'fact')} of the codebook that at least one party "
               "disclosed. “Left out” lists the known facts a party did not disclose although others did.")
    for index, row in enumerate(summary.itertuples(index=False)):
        with st.container(border=True, key=f"party_{index}"):
            name_col, count_col, facts_col = st.columns([2, 1.3, 6], vertical_alignment="center")
            name_col.markdown(f"**{md(row.party)}**  \n{md(row.role)}")
            count_col.markdown(f"**{row.disclosed} of {known}** known facts disclosed")
            lines = [f"**Left out:** {md(', '.join(row.left_out)) if row.left_out else 'nothing'}"]
            if row.exclusive:
                lines.append(f"**Only it disclosed:** {md(', '.join(row.exclusive))}")
            if row.internal_only:
                lines.append(f"**Told to staff only:** {md(', '.join(row.internal_only))}")
            facts_col.markdown("  \n".join(lines))

    st.subheader("Contradictions")
    contradictions = result.extra.get("contradictions")
    if contradictions is None or contradictions.empty:
        st.success("No two parties answer a fact the other way round.")
    else:
        for row in contradictions.itertuples(index=False):
            evidence_a = evidence_frame(result, row.party_a, row.fact)
            evidence_b = evidence_frame(result, row.party_b, row.fact)
            if row.kind == "polarity":  # the answers, not the words that carried them ("rançon")
                said_a, said_b = answer(evidence_a["polarity"]), answer(evidence_b["polarity"])
            else:
                said_a, said_b = format_value(row.value_a), format_value(row.value_b)
            with st.expander(md(f"{fact_label(row.fact)}: {row.party_a} says “{said_a}”, "
                                f"{row.party_b} says “{said_b}”")):
                show_evidence(evidence_a)
                show_evidence(evidence_b)

    st.subheader("Told to staff only")
    matrix_cells = result.disclosures
    internal = matrix_cells[matrix_cells["internal_only"].astype(bool)] if "internal_only" in matrix_cells else \
        matrix_cells.iloc[:0]
    details = matrix_cells[[bool(items(v)) for v in matrix_cells["internal_values"]]] \
        if "internal_values" in matrix_cells else matrix_cells.iloc[:0]
    if internal.empty and details.empty:
        st.success("No fact, and no detail of a fact, was told to staff only.")
    for row in internal.itertuples(index=False):
        with st.expander(md(f"{row.party} told staff only: {fact_label(row.fact)}")):
            show_evidence(evidence_frame(result, row.party, row.fact, channels=["internal"]))
    for row in details.itertuples(index=False):
        values = "; ".join(format_value(v) for v in items(row.internal_values))
        with st.expander(md(f"{row.party} told staff a detail of {fact_label(row.fact)} not given in public: "
                            f"“{values}”")):
            show_evidence(evidence_frame(result, row.party, row.fact, channels=["internal"]))

st.subheader("Documents")
documents = result.documents.assign(date=result.documents["date"].map(format_date),
                                    outlet=result.documents["outlet"].fillna("").replace("", EMPTY),
                                    title=result.documents["title"].fillna("").replace("", EMPTY))
show_table(documents, {"doc_id": ("Document", 190), "outlet": ("Outlet", 120), "date": ("Date", 110),
                       "kind": ("Published by", 105), "channel": ("Channel", 70), "language": ("Language", 75),
                       "n_sentences": ("Sentences", 80), "title": ("Title", 230)},
           n_sentences=st.column_config.NumberColumn("Sentences", width=80))

st.subheader("Timeline")
timeline = timeline_frame(result)
if timeline.empty:
    st.info("No document of this case has a date, so there is no timeline.")
else:
    # Several events of one party on one day are stacked in its row, so every one stays visible.
    timeline = timeline.assign(shown_date=timeline["date"].map(format_date),
                               slot=timeline.groupby(["day", "who"]).cumcount())
    span = (timeline["day"].max() - timeline["day"].min()).days
    ticks = "day" if span <= 21 else "week" if span <= 120 else "month"
    first, last = timeline["day"].min() - pd.Timedelta(days=1), timeline["day"].max() + pd.Timedelta(days=1)
    rows = max(1, int(timeline["slot"].max()) + 1)
    chart = alt.Chart(timeline).mark_point(filled=True, size=55, opacity=0.9).encode(
        x=alt.X("day:T", title=None, scale=alt.Scale(domain=[first.isoformat(), last.isoformat()]),
                axis=alt.Axis(format="%-d %b %Y", tickCount=ticks, labelAngle=0, grid=True)),
        y=alt.Y("who:N", title=None, axis=alt.Axis(labelLimit=200)),
        yOffset=alt.YOffset("slot:O"),
        color=alt.Color("event:N", title=None, legend=alt.Legend(orient="top")),
        shape=alt.Shape("event:N", title=None),
        tooltip=[alt.Tooltip("shown_date:N", title="Date"), alt.Tooltip("event:N", title="Event"),
                 alt.Tooltip("who:N", title="Who"), alt.Tooltip("what:N", title="What"),
                 alt.Tooltip("doc_id:N", title="Document")],
    ).properties(height=timeline["who"].nunique() * (rows * 13 + 14) + 30)
    st.altair_chart(chart, width="stretch")
    st.caption("One mark per event. A first disclosure is placed on the date of the earliest document in which "
               "the party states the fact; events of one party on one day are stacked in its row.")
    undated = int((result.documents["date"].fillna("") == "").sum())
    if undated:
        st.caption(f"{plural(undated, 'document')} without a date {'is' if undated == 1 else 'are'} not on the "
                   "timeline.")

for warning in result.warnings:
    st.warning(md(warning))
