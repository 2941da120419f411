//! Time series sampled at a fixed simulated interval, stored by column (one
//! `Vec<f64>` per metric), which is the shape charting libraries want.
//!
//! A value that does not exist in an interval (a latency percentile when
//! nothing finished) is NaN, written as `null` in JSON and empty in CSV.

use serde::Serialize;
use serde::ser::SerializeMap;

#[derive(Clone, Debug, Default)]
pub struct Series {
    names: Vec<String>,
    columns: Vec<Vec<f64>>,
}

impl Series {
    /// A series with these columns; the first is conventionally time.
    pub fn new(names: Vec<String>) -> Self {
        let columns = vec![Vec::new(); names.len()];
        Series { names, columns }
    }

    /// Appends one sample; `row` has a value for every column, in order.
    pub fn push(&mut self, row: &[f64]) {
        debug_assert_eq!(row.len(), self.columns.len());
        for (column, value) in self.columns.iter_mut().zip(row) {
            column.push(*value);
        }
    }

    pub fn len(&self) -> usize {
        self.columns.first().map_or(0, Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&[f64]> {
        self.names.iter().position(|n| n == name).map(|i| self.columns[i].as_slice())
    }

    /// The samples from index `from` on, as a new series (for incremental
    /// charting in the page).
    pub fn since(&self, from: usize) -> Series {
        let from = from.min(self.len());
        Series { names: self.names.clone(), columns: self.columns.iter().map(|c| c[from..].to_vec()).collect() }
    }

    /// The series as CSV with a header row.
    pub fn to_csv(&self) -> String {
        let mut out = self.names.join(",");
        out.push('\n');
        for row in 0..self.len() {
            let cells: Vec<String> = self
                .columns
                .iter()
                .map(|c| if c[row].is_nan() { String::new() } else { crate::json::Num(c[row]).to_string() })
                .collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        out
    }
}

impl Serialize for Series {
    /// `{"t_ms": [...], "produce_rate": [...], ...}` in column order.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.names.len()))?;
        for (name, column) in self.names.iter().zip(&self.columns) {
            let values: Vec<Option<f64>> = column.iter().map(|v| (!v.is_nan()).then_some(*v)).collect();
            map.serialize_entry(name, &values)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows go in by position and come out by column name, CSV and `since`.
    #[test]
    fn rows_come_out_as_columns() {
        let mut s = Series::new(vec!["t".into(), "x".into()]);
        s.push(&[0.0, 1.5]);
        s.push(&[100.0, f64::NAN]);
        assert_eq!(s.column("t"), Some(&[0.0, 100.0][..]));
        assert_eq!(s.to_csv(), "t,x\n0,1.5\n100,\n");
        assert_eq!(s.since(1).column("t"), Some(&[100.0][..]));
        assert_eq!(serde_json::to_string(&s).unwrap(), r#"{"t":[0.0,100.0],"x":[1.5,null]}"#);
    }
}
