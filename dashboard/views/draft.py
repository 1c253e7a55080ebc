"""Draft check: what a draft statement leaves out, adds and contradicts, before it goes out."""
import html

import streamlit as st

from analyzer.draft import check_draft
from analyzer.serve import error_line
from analyzer.upload import read_uploaded_text
from dashboard.state import active_result, case_caption, md, stop_without_text

result = active_result()
st.title("Draft check")
case_caption(result)
st.markdown("Paste or upload a statement you are about to publish, choose the party it speaks for, and "
            "compare it with what is already known in the case.")
stop_without_text(result)  # nothing is known in the case to compare a draft with

parties = list(dict.fromkeys(result.disclosures["party"]))
declared = [p.name for p in result.case.parties]
with st.form("draft_form"):
    text = st.text_area("Draft statement", height=180, key="draft_text",
                        placeholder="MMA a été victime d'une attaque informatique…")
    upload = st.file_uploader("…or upload it", type=["txt", "md", "html", "htm", "pdf", "docx"], key="draft_file")
    party_col, language_col = st.columns(2)
    first = parties.index(declared[0]) if declared and declared[0] in parties else 0
    party = party_col.selectbox("Speaks for", parties, index=first, key="draft_party")
    language = language_col.selectbox("Language", ["detect", "fr", "en"], key="draft_language")
    submitted = st.form_submit_button("Check the draft", type="primary")

if submitted:
    try:
        draft = read_uploaded_text(upload.name, upload.getvalue()) if upload is not None else text
        with st.spinner("Checking the draft…"):
            st.session_state["draft_check"] = check_draft(result, draft, party,
                                                          None if language == "detect" else language)
    except Exception as error:  # one plain line on the page, never a traceback (error_line logs it)
        st.session_state.pop("draft_check", None)
        st.error(md(error_line(error)))

check = st.session_state.get("draft_check")
if check is not None:
    for warning in check.warnings:
        st.warning(md(warning))
    metrics = st.columns(5)
    metrics[0].metric("Facts stated", check.mentions["fact"].nunique())
    metrics[1].metric("Known facts left out", len(check.left_out))
    metrics[2].metric("Added", len(check.added))
    metrics[3].metric("Contradictions", len(check.contradictions))
    metrics[4].metric("Specificity", "n/a" if check.specificity is None else f"{check.specificity:.0%}",
                      help="Share of the stated facts that carry a concrete value (a figure, a date, a name).")
    st.subheader("What it contradicts")
    if check.contradictions.empty:
        st.success("No stated fact goes against what the case's documents say.")
    else:
        st.dataframe(check.contradictions.drop(columns=["fact"]), hide_index=True, width="stretch")
    st.subheader("Known facts it leaves out")
    st.dataframe(check.left_out.drop(columns=["fact"]), hide_index=True, width="stretch")
    st.subheader("What it adds")
    st.dataframe(check.added.drop(columns=["fact"]), hide_index=True, width="stretch")
    st.subheader("What it states")
    for row in check.mentions.itertuples(index=False):
        # row.html is the draft sentence escaped by analyzer.serve.highlight; only <mark> is markup.
        st.html(f'<p style="margin:.3em 0"><b>{html.escape(row.label)}</b>: {row.html}</p>')
    st.subheader("Vague wording")
    st.markdown(md(", ".join(f"“{w}”" for w in check.vague_wording)) if check.vague_wording else "None found.")
    st.subheader("Regulatory completeness")
    if check.regulatory.empty:
        st.info("The regulatory checklists are not computed in this installation.")
    else:
        for framework, items in check.regulatory.groupby("framework", sort=False):
            st.markdown(f"**{md(framework)}**: {int(items['met'].sum())} of {len(items)} items met")
            st.dataframe(items.drop(columns=["framework"]), hide_index=True, width="stretch")
