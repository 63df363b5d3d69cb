//! status (R17; legacy statuses in front matter) and stage (R18, R12).

use super::*;

pub(super) fn status(c: &mut Checker<'_>, meta: &KepMetadata) {
    let Some(st) = &meta.status else { return };
    // Upstream compares the decoded string as it is: `"implementable "` (quoted, with a
    // space) or a block scalar's `implemented\n` is not a status.
    let value = st.value.as_str();
    if schema::is_status(value) || value.is_empty() {
        return;
    }
    if c.legacy && (LEGACY_STATUSES.contains(&value.trim()) || value.trim() == "accepted") {
        c.push(Finding::new(
            Code::LegacyStatus,
            st.span.clone(),
            format!("status `{value}` is from the 2017-2018 KEP workflow (today: provisional, implementable, implemented, ...)"),
        ));
        return;
    }
    let names = STATUSES.iter().map(|(n, _)| *n);
    let list: Vec<&str> = names.clone().collect();
    let mut f = Finding::new(
        Code::InvalidStatus,
        st.span.clone(),
        format!("invalid status: {value}, should be one of [{}]", list.join(" ")),
    );
    if let Some(s) = schema::did_you_mean(value, names) {
        f.message.push_str(&format!(": did you mean `{s}`?"));
        f = f.with_fix(c.replace_value_fix(&st.span, s, format!("Change status to `{s}`")));
    }
    c.push(f);
}

pub(super) fn stage(c: &mut Checker<'_>, meta: &KepMetadata) {
    let Some(sg) = &meta.stage else { return };
    let value = sg.value.as_str();
    if schema::is_stage(value) || value.is_empty() {
        return;
    }
    let names = STAGES.iter().map(|(n, _)| *n);
    let list: Vec<&str> = names.clone().collect();
    let mut f = Finding::new(
        Code::InvalidStage,
        sg.span.clone(),
        format!("invalid stage: {value}, should be one of [{}]", list.join(" ")),
    );
    if let Some(s) = schema::did_you_mean(value, names) {
        f.message.push_str(&format!(": did you mean `{s}`?"));
        f = f.with_fix(c.replace_value_fix(&sg.span, s, format!("Change stage to `{s}`")));
    }
    c.push(f);
}

pub(super) fn status_value(meta: &KepMetadata) -> &str {
    meta.status.as_ref().map(|s| s.value.as_str()).unwrap_or("")
}
