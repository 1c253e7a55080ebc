"""Your case: upload documents (or a zipped case), describe them, analyse, and download the case folder."""
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import pandas as pd
import streamlit as st

from analyzer import analyze_case
from analyzer.errors import CaseError
from analyzer.limits import limits
from analyzer.model import ROLES, Party
from analyzer.serve import error_line, max_upload_mb
from analyzer.upload import UploadedDocument, case_zip, extract_case_zip, safe_id, write_case
from dashboard.format import parse_date_input, plural
from dashboard.state import UPLOADED, UPLOADED_ZIP, active_result, md

PARTY_COLUMNS = ["name", "role", "aliases"]

st.title("Your case")
st.markdown("Upload the documents of a crisis (txt, md, html, pdf, docx) or a zipped case folder, describe "
            "them, and analyse: the other pages then show your case.")
st.caption(f"Up to {max_upload_mb()} MB per file and {limits().upload_documents} documents per case.")

uploads = st.file_uploader("Documents or a zipped case", accept_multiple_files=True, key="case_files",
                           type=["txt", "md", "html", "htm", "pdf", "docx", "zip"], max_upload_size=max_upload_mb())
zips = [u for u in uploads if u.name.lower().endswith(".zip")]
documents = [u for u in uploads if not u.name.lower().endswith(".zip")]


def analyse(write: Callable[[Path], Path], names: dict[str, str] | None = None) -> None:
    """Write the uploads into a temporary case folder, analyse it and make it this session's case.

    The folder is removed afterwards, also on an error: the session keeps the analysis and the
    case zipped (for the download), and the uploads leave nothing on the server's disk. Any
    error is one plain line on the page, without the temporary folder's path, naming the
    user's own files (`names`: the file written in the case folder -> the name uploaded).
    """
    folder = None
    try:
        with tempfile.TemporaryDirectory(prefix="transparency-case-") as folder, st.spinner("Analysing your case…"):
            case_dir = write(Path(folder))
            result = analyze_case(case_dir)
            zipped = case_zip(case_dir)
    except Exception as error:  # never a traceback: error_line logs unexpected errors for the server
        line = error_line(error, folder)
        for written, uploaded in (names or {}).items():
            line = line.replace(written, uploaded)
        st.error(md(line))
        return
    st.session_state[UPLOADED] = result
    st.session_state[UPLOADED_ZIP] = zipped
    st.success(f"Analysed {md(result.case.id)}: {plural(len(result.documents), 'document')}, "
               f"{plural(len(result.mentions), 'fact mention')}. The other pages now show it.")


def parties_from(table: pd.DataFrame) -> list[Party]:
    """The parties typed in the editor (rows without a name are skipped).

    Raises:
        CaseError: a named party without a role.
    """
    parties = []
    for name, role, aliases in table[PARTY_COLUMNS].fillna("").itertuples(index=False):
        if not str(name).strip():
            continue
        if role not in ROLES:
            raise CaseError(f"party '{str(name).strip()}'", "no role chosen", f"choose one of {', '.join(ROLES)}")
        parties.append(Party(str(name).strip(), role,
                             tuple(a.strip() for a in str(aliases).split(",") if a.strip())))
    return parties


def document_problems(names: list[str], metadata: list[dict]) -> tuple[list[str], list[dict]]:
    """The form's problems, one line each naming the user's file, and the metadata with ISO dates."""
    problems, checked = [], []
    for name, fields in zip(names, metadata):
        fields = dict(fields)
        if fields["kind"] is None:
            problems.append(f"{name}: choose its kind (who published it: {', '.join(ROLES)})")
        try:
            fields["date"] = parse_date_input(fields["date"])
        except ValueError as error:
            problems.append(f"{name}: {error} (write e.g. 21/07/2020, 2020-07-21, July 2020 or 2020)")
        checked.append(fields)
    return problems, checked


if zips:
    if st.button(f"Analyse {md(zips[0].name)}", type="primary", key="analyse_zip"):
        analyse(lambda folder: extract_case_zip(zips[0].getvalue(), folder, zips[0].name))
elif documents:
    with st.form("case_form"):
        id_col, title_col, org_col = st.columns(3)
        case_id = id_col.text_input("Case id", "my-case", key="case_id")
        title = title_col.text_input("Title", "My crisis", key="case_title")
        organisation = org_col.text_input("Organisation", key="case_organisation")
        st.markdown("**Parties** (optional): who may speak, with the proper names texts use for them.")
        party_table = st.data_editor(
            pd.DataFrame({column: pd.Series(dtype="str") for column in PARTY_COLUMNS}), num_rows="dynamic",
            key="case_parties", hide_index=True, width="stretch", column_config={
                "name": st.column_config.TextColumn("Name", help="e.g. MMA / Covéa", width="medium"),
                "role": st.column_config.SelectboxColumn("Role", options=list(ROLES), width="small"),
                "aliases": st.column_config.TextColumn("Aliases (comma-separated proper names)",
                                                       help="e.g. MMA, Covéa", width="large")})
        st.markdown(f"**{plural(len(documents), 'document')}**")
        metadata = []
        for index, upload in enumerate(documents):
            st.markdown(f"{md(upload.name)}")
            kind_col, date_col, language_col, outlet_col, channel_col = st.columns(5)
            metadata.append(dict(
                kind=kind_col.selectbox("Kind", ROLES, index=None, placeholder="Who published it?",
                                        key=f"kind_{index}"),
                date=date_col.text_input("Date", key=f"date_{index}", placeholder="21/07/2020",
                                         help="Day first: 21/07/2020, 21 July 2020, July 2020 or 2020; "
                                              "empty when unknown."),
                language=language_col.selectbox("Language", ["", "fr", "en"], key=f"language_{index}",
                                                format_func=lambda code: code or "detect"),
                outlet=outlet_col.text_input("Outlet", key=f"outlet_{index}"),
                channel=channel_col.selectbox("Channel", ["public", "internal"], key=f"channel_{index}")))
        submitted = st.form_submit_button("Analyse", type="primary")
    if submitted:
        problems, metadata = document_problems([u.name for u in documents], metadata)
        try:
            parties = parties_from(party_table)
        except CaseError as error:
            problems.append(error_line(error))
        for problem in problems:
            st.error(md(problem))
        if not problems:
            uploaded = [UploadedDocument(u.name, u.getvalue(), **m) for u, m in zip(documents, metadata)]
            written = {f"documents/{safe_id(PurePosixPath(u.name).stem)}{PurePosixPath(u.name).suffix.lower()}": u.name
                       for u in documents}
            analyse(lambda folder: write_case(folder, case_id, title, uploaded, parties, organisation), written)

if st.session_state.get(UPLOADED) is not None:
    result = active_result()
    st.divider()
    st.markdown(f"Active case: **{md(result.case.title)}** ({md(result.case.id)}), uploaded this session.")
    left, right = st.columns(2)
    if st.session_state.get(UPLOADED_ZIP) is not None:
        left.download_button("Download the case folder (zip)", st.session_state[UPLOADED_ZIP],
                             file_name=f"{result.case.id}-case.zip", mime="application/zip", key="case_zip")
    if right.button("Back to the launch case", key="forget_upload"):
        st.session_state.pop(UPLOADED, None)
        st.session_state.pop(UPLOADED_ZIP, None)
        st.rerun()
    st.caption("Unzip it and run `transparency analyze FOLDER --out OUT` to get the same tables.")
