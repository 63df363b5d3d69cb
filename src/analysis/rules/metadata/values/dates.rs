//! creation-date and last-updated: real dates, not in the future.

use super::*;

pub(super) fn dates(c: &mut Checker<'_>, meta: &KepMetadata) {
    let today = c.ctx.today.and_then(|t| parse_date(t).ok());
    let mut parsed = Vec::new();
    for (name, d) in [
        ("creation-date", &meta.creation_date),
        ("last-updated", &meta.last_updated),
    ] {
        let Some(d) = d else {
            parsed.push(None);
            continue;
        };
        let v = d.value.trim();
        if schema::is_template_leftover(name, v) {
            parsed.push(None);
            continue;
        }
        match parse_date(v) {
            Ok(date) => {
                if let Some(t) = today
                    && date > t
                {
                    c.push(Finding::new(
                        Code::DateOrder,
                        d.span.clone(),
                        format!("{name} {v} is in the future"),
                    ));
                }
                parsed.push(Some((date, d)));
            }
            Err(why) => {
                let mut f = Finding::new(
                    Code::InvalidDate,
                    d.span.clone(),
                    format!("{name} `{v}` is not a date ({why}): write YYYY-MM-DD"),
                );
                // 2025-30-01: day and month swapped is the usual slip.
                if v.len() == 10 && v.is_ascii() {
                    let swapped = format!("{}-{}-{}", &v[0..4], &v[8..10], &v[5..7]);
                    if parse_date(&swapped).is_ok() {
                        f = f.with_fix(c.replace_value_fix(
                            &d.span,
                            &swapped,
                            format!("Change to {swapped}"),
                        ));
                    }
                }
                c.push(f);
                parsed.push(None);
            }
        }
    }
    if let (Some(Some((created, _))), Some(Some((updated, u)))) = (parsed.first(), parsed.get(1))
        && updated < created
    {
        let created_text = meta.creation_date.as_ref().map(|d| d.value.trim()).unwrap_or("");
        c.push(Finding::new(
            Code::DateOrder,
            u.span.clone(),
            format!(
                "last-updated {} is before creation-date {created_text}",
                u.value.trim()
            ),
        ));
    }
}
