"""Draft check: what a draft statement leaves out, adds and contradicts, before it goes out."""
import html

import streamlit as st

from analyzer.draft import check_draft
from analyzer.serve import error_line
from analyzer.upload import read_uploaded_text
from dashboard.format import format_value, items, mention_values
from dashboard.state import active_result, case_caption, md, show_checklist, show_table, stop_without_text

SIDE_WORDS = {"yes": "yes", "no": "no", "both": "both ways", "": "—"}  # analyzer.draft's polarity sides

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
    # "What it adds" is what nobody in the case has disclosed yet; facts others disclosed but this
    # party had not are named apart, since they add nothing to what the public can know.
    new_to_case = check.added[check.added["new_to_case"].astype(bool)]
    new_for_party = check.added[~check.added["new_to_case"].astype(bool)]
    for warning in check.warnings:
        st.warning(md(warning))
    metrics = st.columns(5)
    metrics[0].metric("Facts stated", check.mentions["fact"].nunique())
    metrics[1].metric("Known facts left out", len(check.left_out))
    metrics[2].metric("New to the case", len(new_to_case),
                      help="Facts the draft states that no party of the case has disclosed yet.")
    metrics[3].metric("Contradictions", len(check.contradictions))
    metrics[4].metric("Specificity", "—" if check.specificity is None else f"{check.specificity:.0%}",
                      help="Share of the stated facts that carry a concrete value (a figure, a date, a name).")
    st.subheader("What it contradicts")
    if check.contradictions.empty:
        st.success("No stated fact goes against what the case's documents say.")
    else:
        contradictions = check.contradictions.assign(
            draft_polarity=check.contradictions["draft_polarity"].map(SIDE_WORDS),
            case_polarity=check.contradictions["case_polarity"].map(SIDE_WORDS),
            parties=check.contradictions["parties"].str.replace(" | ", ", ", regex=False))
        show_table(contradictions, {"label": ("Fact", 170), "draft_polarity": ("Draft says", 85),
                                    "case_polarity": ("Case says", 85), "parties": ("Said by", 150),
                                    "evidence": ("Their words", 480)})
    st.subheader("Known facts it leaves out")
    if check.left_out.empty:
        st.success("It states every fact known in the case.")
    else:
        # The values as the case's mentions give them (a cue's own words become "stated").
        known = result.mentions
        left_out = check.left_out.assign(known_by=check.left_out["known_by"].str.replace(" | ", ", ", regex=False),
                                         values=[mention_values(known[known["fact"] == fact])
                                                 for fact in check.left_out["fact"]])
        show_table(left_out, {"label": ("Fact", 190), "known_by": ("Disclosed by", 220),
                              "values": ("What they said", 400), "disclosed_by_party": ("Said before", 100)},
                   disclosed_by_party=st.column_config.CheckboxColumn(
                       "Said before", width=100, help="This party had disclosed it in the case"))
    st.subheader("What it adds")
    if new_to_case.empty:
        st.info("Nothing new to the case: every fact it states has already been disclosed by someone.")
    else:
        added = new_to_case.assign(value=[mention_values(check.mentions[check.mentions["fact"] == fact])
                                          for fact in new_to_case["fact"]])
        show_table(added, {"label": ("Fact", 220), "value": ("What the draft says", 600)})
    if not new_for_party.empty:
        st.caption(f"New for {md(check.party)} but already disclosed by others: "
                   f"{md(', '.join(new_for_party['label']))}.")
    st.subheader("What it states")
    for row in check.mentions.itertuples(index=False):
        value = format_value(row.value, row.cue, row.polarity)
        # row.html is the draft sentence escaped by analyzer.serve.highlight; only <mark> is markup.
        st.html(f'<p style="margin:.3em 0"><b>{html.escape(row.label)}</b> ({html.escape(value)}): {row.html}</p>')
    st.subheader("Vague wording")
    st.markdown(md(", ".join(f"“{w}”" for w in check.vague_wording)) if check.vague_wording else "No vague wording found.")
    st.subheader("Regulatory completeness")
    stated = set(check.mentions["fact"])
    if check.regulatory.empty:
        st.info("The regulatory checklists are not computed in this installation.")
    else:
        for framework, checklist in check.regulatory.groupby("framework", sort=False):
            st.markdown(f"**{md(framework)}**: {int(checklist['met'].sum())} of {len(checklist)} items met")
            show_checklist(checklist.rename(columns={"item": "label"}).assign(disclosed_facts=[
                " | ".join(f for f in items(facts) if f in stated)
                for facts in checklist["facts"]]))
