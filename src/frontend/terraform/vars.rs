//! Variable values from outside the configuration: `terraform.tfvars`,
//! `*.auto.tfvars`, their JSON forms, `--var-file` and `--var`, with
//! Terraform's precedence (later wins).

use hcl_edit::expr::{Expression, ObjectKey, UnaryOperator};
use hcl_edit::template::Element;

use super::functions::from_json;
use super::module::ModuleIndex;
use super::value::Value;
use crate::diagnostic::InputError;
use crate::source::{FileId, SourceFile};

/// A parsed variable file.
#[derive(Debug)]
pub struct VarsFile {
    pub file: FileId,
    /// In file order.
    pub values: Vec<(String, Value)>,
}

/// Whether Terraform loads this file by itself (without `-var-file`).
pub fn is_auto_loaded(name: &str) -> bool {
    name == "terraform.tfvars"
        || name == "terraform.tfvars.json"
        || name.ends_with(".auto.tfvars")
        || name.ends_with(".auto.tfvars.json")
}

/// Sort key giving Terraform's load order: `terraform.tfvars`, then
/// `terraform.tfvars.json`, then `*.auto.tfvars*` by name.
pub fn precedence(path: &std::path::Path) -> (u8, String) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let rank = match name.as_str() {
        "terraform.tfvars" => 0,
        "terraform.tfvars.json" => 1,
        _ if is_auto_loaded(&name) => 2,
        _ => 3,
    };
    (rank, name)
}

pub fn parse(id: FileId, file: &SourceFile) -> Result<VarsFile, InputError> {
    if file.path.to_string_lossy().ends_with(".json") {
        return parse_json(id, file);
    }
    let body =
        hcl_edit::parser::parse_body(&file.text).map_err(|e| super::hcl_error(id, file, &e))?;
    if let Some(block) = body.blocks().next() {
        let start = hcl_edit::Span::span(block).map_or(0, |r| r.start);
        return Err(InputError::at(
            file.display.clone(),
            id,
            start..start + block.ident.len(),
            "a variable file may only assign values, not declare blocks",
        )
        .of_kind(crate::diagnostic::InputErrorKind::Invalid));
    }
    let values = body
        .attributes()
        .map(|attr| (attr.key.as_str().to_string(), literal_value(&attr.value)))
        .collect();
    Ok(VarsFile { file: id, values })
}

fn parse_json(id: FileId, file: &SourceFile) -> Result<VarsFile, InputError> {
    let json: serde_json::Value = serde_json::from_str(&file.text).map_err(|e| {
        let start = file.lines.offset_of(&file.text, e.line(), e.column());
        InputError::at(
            file.display.clone(),
            id,
            start..start,
            format!("JSON syntax error: {e}"),
        )
    })?;
    let serde_json::Value::Object(map) = json else {
        return Err(InputError::at(
            file.display.clone(),
            id,
            0..0,
            "a JSON variable file must hold an object",
        )
        .of_kind(crate::diagnostic::InputErrorKind::Invalid));
    };
    let values = map.iter().map(|(k, v)| (k.clone(), from_json(v))).collect();
    Ok(VarsFile { file: id, values })
}

/// `--var NAME=VALUE`: the raw text for a string variable (or one that is
/// not declared), else the value parsed as an HCL literal, as Terraform does.
pub fn from_command_line(index: &ModuleIndex<'_>, name: &str, raw: &str) -> Value {
    let is_string = index.variables.get(name).is_none_or(|v| v.is_string);
    if is_string {
        return Value::String(raw.to_string());
    }
    match hcl_edit::parser::parse_expr(raw) {
        Ok(expr) => literal_value(&expr),
        Err(e) => Value::error(format!(
            "`--var {name}=...` is not a valid value: {}",
            e.message()
        )),
    }
}

/// The value of an expression made only of literals (all a variable file
/// may hold); anything else is an error, as in Terraform.
pub fn literal_value(expr: &Expression) -> Value {
    match expr {
        Expression::Null(_) => Value::Null,
        Expression::Bool(b) => Value::Bool(*b.value()),
        Expression::Number(n) => n.value().as_f64().map_or(Value::Null, Value::Number),
        Expression::String(s) => Value::String(s.value().clone()),
        Expression::Array(items) => Value::List(items.iter().map(literal_value).collect()),
        Expression::Object(object) => Value::Object(
            object
                .iter()
                .map(|(key, value)| {
                    let key = match key {
                        ObjectKey::Ident(ident) => ident.as_str().to_string(),
                        ObjectKey::Expression(e) => match literal_value(e) {
                            Value::String(s) => s,
                            other => other.to_template_string().unwrap_or_default(),
                        },
                    };
                    (key, literal_value(value.expr()))
                })
                .collect(),
        ),
        Expression::Parenthesis(p) => literal_value(p.inner()),
        Expression::UnaryOp(op) => match (op.operator.value(), literal_value(&op.expr)) {
            (UnaryOperator::Neg, Value::Number(n)) => Value::Number(-n),
            _ => Value::error("only literal values are allowed in a variable file"),
        },
        Expression::StringTemplate(t) => literal_template(t.iter()),
        Expression::HeredocTemplate(h) => literal_template(h.template.iter()),
        _ => Value::error("only literal values are allowed in a variable file"),
    }
}

fn literal_template<'e>(elements: impl Iterator<Item = &'e Element>) -> Value {
    let mut text = String::new();
    for element in elements {
        match element {
            Element::Literal(l) => text.push_str(l.value()),
            _ => return Value::error("only literal values are allowed in a variable file"),
        }
    }
    Value::String(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(name: &str, text: &str) -> Result<VarsFile, InputError> {
        parse(FileId(0), &SourceFile::new(name.into(), text))
    }

    #[test]
    fn hcl_and_json_variable_files_hold_values() {
        let hcl = vars(
            "terraform.tfvars",
            "prefix = \"ops\"\nusers = [\"a\", \"b\"]\n",
        )
        .unwrap();
        assert_eq!(
            hcl.values[0],
            ("prefix".into(), Value::String("ops".into()))
        );
        let json = vars("x.auto.tfvars.json", r#"{"n": 2}"#).unwrap();
        assert_eq!(json.values[0], ("n".into(), Value::Number(2.0)));
    }

    #[test]
    fn references_are_not_values() {
        let hcl = vars("terraform.tfvars", "x = var.y\n").unwrap();
        assert!(matches!(&hcl.values[0].1, Value::Unknown(u) if u.error));
    }

    #[test]
    fn bad_json_is_positioned() {
        let err = vars("terraform.tfvars.json", "{\n  \"a\": ,\n}").unwrap_err();
        assert!(err.span.is_some());
        assert!(err.message.starts_with("JSON syntax error"));
    }

    #[test]
    fn load_order_follows_terraform() {
        let mut names = [
            "b.auto.tfvars",
            "terraform.tfvars.json",
            "a.auto.tfvars.json",
            "terraform.tfvars",
        ];
        names.sort_by_key(|n| precedence(std::path::Path::new(n)));
        assert_eq!(
            names,
            [
                "terraform.tfvars",
                "terraform.tfvars.json",
                "a.auto.tfvars.json",
                "b.auto.tfvars"
            ]
        );
    }
}
