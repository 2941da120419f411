//! The one error a scenario can have, and how it reads.

use std::fmt;

/// What is wrong with a scenario, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScenarioError {
    /// The text is not JSON (truncated, a stray comma…).
    Syntax { line: usize, column: usize, message: String },
    /// The JSON is well formed, but the value at `path` is not allowed.
    Invalid { path: String, message: String },
    /// No bundled preset has this name.
    UnknownPreset { name: String, known: Vec<&'static str> },
}

impl ScenarioError {
    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        ScenarioError::Invalid { path: path.into(), message: message.into() }
    }

    /// The JSON path the error names ("" for syntax errors and the document root).
    pub fn path(&self) -> &str {
        match self {
            ScenarioError::Invalid { path, .. } => path,
            _ => "",
        }
    }
}

impl From<crate::json::JsonError> for ScenarioError {
    fn from(err: crate::json::JsonError) -> Self {
        match err {
            crate::json::JsonError::Syntax { line, column, message } => ScenarioError::Syntax { line, column, message },
            crate::json::JsonError::Invalid { path, message } => ScenarioError::Invalid { path, message },
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::Syntax { line, column, message } => {
                write!(f, "scenario is not valid JSON (line {line}, column {column}): {message}")
            }
            ScenarioError::Invalid { path, message } if path.is_empty() => write!(f, "scenario: {message}"),
            ScenarioError::Invalid { path, message } => write!(f, "scenario at `{path}`: {message}"),
            ScenarioError::UnknownPreset { name, known } => {
                write!(f, "no preset named \"{name}\"; the presets are: {}", known.join(", "))
            }
        }
    }
}

impl std::error::Error for ScenarioError {}
