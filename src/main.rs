//! `mqsim`, the command-line front end: run a scenario headless, validate one,
//! list the bundled presets, check lessons, or print shell completions.
//! Everything it prints comes from the library; this file only parses
//! arguments and writes output.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::io::{IsTerminal, Write};
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;
    use std::time::Instant;

    use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    use mqsim::engine::Sim;
    use mqsim::scenario::{Scenario, presets};
    use mqsim::summary::Summary;
    use mqsim::time::{Duration, parse_duration};

    #[derive(Parser)]
    #[command(name = "mqsim", version, about = "A deterministic message-queue simulator")]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Run a scenario (a file, or the name of a bundled preset) and print a summary.
        Run {
            /// A scenario JSON file, or a preset name (see `mqsim presets`).
            scenario: String,
            /// Override the scenario's seed.
            #[arg(long)]
            seed: Option<u64>,
            /// Stop at this simulated time instead of the scenario's duration (e.g. "5s").
            #[arg(long, value_parser = parse_until)]
            until: Option<Duration>,
            /// text: a summary; json: summary and time series; csv: the time series;
            /// events: every journal event as a JSON line, then the queues' contents.
            #[arg(long, value_enum, default_value_t = Format::Text)]
            format: Format,
            /// Write the output to this file (a one-line summary still goes to stdout).
            #[arg(long)]
            out: Option<PathBuf>,
        },
        /// Check a scenario and report the first problem, with its JSON path.
        Validate { scenario: String },
        /// List the bundled presets, or print one as JSON.
        Presets { name: Option<String> },
        /// Print, as JSON, every key the engine can put on screen, grouped
        /// (event kinds, states, reasons, commands, faults, marker kinds…):
        /// what the page must have words for.
        Vocabulary,
        /// Which partition Apache Kafka's default partitioner puts a key in
        /// (murmur2 of the key's UTF-8 bytes, made positive, modulo the count).
        /// Lessons: list the bundled ones, or run and check lesson files.
        Lesson {
            #[command(subcommand)]
            action: LessonAction,
        },
        Partition {
            /// The record key, as a string.
            key: String,
            /// The topic's partition count.
            partitions: u32,
        },
        /// Print a completion script for a shell (e.g. `mqsim completions bash >
        /// ~/.local/share/bash-completion/completions/mqsim`).
        Completions {
            /// bash, elvish, fish, powershell or zsh.
            shell: clap_complete::Shell,
        },
    }

    #[derive(Subcommand)]
    enum LessonAction {
        /// The bundled lessons, in order, with their English titles.
        List,
        /// Read each lesson (a file, or the name of a bundled one), run every
        /// step and check every promise its text makes; the first problem of
        /// reading, or every broken promise, is reported with its JSON path.
        Check {
            #[arg(required = true)]
            lessons: Vec<String>,
            /// Print each step's measured values as JSON (one document, an array of reports).
            #[arg(long)]
            json: bool,
        },
    }

    #[derive(Clone, Copy, ValueEnum)]
    enum Format {
        Text,
        Json,
        Csv,
        Events,
    }

    fn parse_until(text: &str) -> Result<Duration, String> {
        parse_duration(text).map(Duration)
    }

    pub fn main() -> ExitCode {
        let cli = Cli::parse();
        let result = match cli.command {
            Command::Run { scenario, seed, until, format, out } => run(&scenario, seed, until, format, out.as_deref()),
            Command::Validate { scenario } => load(&scenario).and_then(|s| print_out(&format!("{}: ok\n", s.name))),
            Command::Presets { name: None } => {
                let mut text = String::new();
                for preset in presets::PRESETS {
                    let description = Scenario::from_json(preset.json).map(|s| s.description).unwrap_or_default();
                    text += &format!("{:<28} {}\n", preset.name, description);
                }
                print_out(&text)
            }
            Command::Vocabulary => mqsim::json::write(&mqsim::observe::vocabulary(), mqsim::json::Style::Pretty)
                .map_err(|e| e.to_string())
                .and_then(|text| print_out(&format!("{text}\n"))),
            Command::Lesson { action: LessonAction::List } => {
                let mut text = String::new();
                for bundled in mqsim::lesson::LESSONS {
                    let title = mqsim::lesson::Lesson::from_json(bundled.json).map(|l| l.title.en).unwrap_or_default();
                    text += &format!("{:<20} {}\n", bundled.name, title);
                }
                print_out(&text)
            }
            Command::Lesson { action: LessonAction::Check { lessons, json } } => check_lessons(&lessons, json),
            Command::Partition { key, partitions } => {
                match mqsim::kafka::partitioner::partition_for_key(key.as_bytes(), partitions) {
                    Some(p) => print_out(&format!("{p}\n")),
                    None => Err("a topic needs at least 1 partition".to_string()),
                }
            }
            Command::Completions { shell } => completions(shell),
            Command::Presets { name: Some(name) } => {
                presets::find(&name).map_err(|e| e.to_string()).and_then(|p| print_out(p.json))
            }
        };
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("mqsim: {message}");
                ExitCode::FAILURE
            }
        }
    }

    /// Prints `shell`'s completion script. Written to memory first: the
    /// generators panic on a failed write (`mqsim completions fish | head`).
    fn completions(shell: clap_complete::Shell) -> Result<(), String> {
        use clap_complete::Generator;
        let mut command = Cli::command();
        command.set_bin_name("mqsim");
        command.build();
        let mut script = Vec::new();
        shell.try_generate(&command, &mut script).map_err(|e| e.to_string())?;
        let mut out = std::io::stdout().lock();
        match out.write_all(&script).and_then(|()| out.flush()) {
            // A reader that stopped early (`| head`) is not an error of ours.
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.to_string()),
            _ => Ok(()),
        }
    }

    /// `mqsim lesson check`: every lesson is read, run and checked; an error
    /// when any cannot be read or breaks a promise.
    fn check_lessons(args: &[String], json: bool) -> Result<(), String> {
        use mqsim::lesson::{self, Lesson};
        let mut reports = Vec::new();
        let mut failed = 0;
        for arg in args {
            let path = Path::new(arg);
            let read = if path.exists() {
                Lesson::from_json(&std::fs::read_to_string(path).map_err(|e| format!("{arg}: {e}"))?)
            } else {
                lesson::load(arg)
            };
            let lesson = read.map_err(|e| format!("{arg}: {e}"))?;
            let report = lesson::check(&lesson).map_err(|e| format!("{arg}: {e}"))?;
            if !json {
                let runs: usize = report.steps.iter().map(|s| s.runs.len()).sum();
                if report.ok() {
                    print_out(&format!("{arg}: ok ({} steps, {runs} runs, every promise kept)\n", report.steps.len()))?;
                } else {
                    for problem in &report.problems {
                        eprintln!("{arg}: {problem}");
                    }
                }
            }
            failed += usize::from(!report.ok());
            reports.push(report);
        }
        if json {
            print_out(&format!("{}\n", serde_json::to_string_pretty(&reports).map_err(|e| e.to_string())?))?;
        }
        if failed > 0 { Err(format!("{failed} lesson(s) break their promises")) } else { Ok(()) }
    }

    /// Reads a scenario from a file, or a bundled preset when no such file exists.
    fn load(arg: &str) -> Result<Scenario, String> {
        let path = Path::new(arg);
        if path.exists() {
            let mut text = std::fs::read_to_string(path).map_err(|e| format!("{arg}: {e}"))?;
            // Text that is not JSON goes to the library as it is, for its syntax error.
            if let Ok(mut doc) = serde_json::from_str::<serde_json::Value>(&text) {
                let dir = path.parent().unwrap_or(Path::new("."));
                if inline_csv_files(&mut doc, dir, "").map_err(|e| format!("{arg}: {e}"))? {
                    text = doc.to_string();
                }
            }
            Scenario::from_json(&text).map_err(|e| format!("{arg}: {e}"))
        } else {
            presets::load(arg).map_err(|e| e.to_string())
        }
    }

    /// Replaces every `"replay_csv": "@file.csv"` with the text of that file,
    /// read relative to the scenario's folder: the library reads no files, so
    /// the command-line tool does it for it. Returns whether it replaced any.
    fn inline_csv_files(value: &mut serde_json::Value, dir: &Path, path: &str) -> Result<bool, String> {
        let mut replaced = false;
        match value {
            serde_json::Value::Object(fields) => {
                for (key, field) in fields.iter_mut() {
                    let here = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                    if let Some(name) = field.as_str().filter(|_| key == "replay_csv").and_then(|s| s.strip_prefix('@')) {
                        let file = dir.join(name);
                        let text = std::fs::read_to_string(&file)
                            .map_err(|e| format!("scenario at `{here}`: cannot read the CSV file {}: {e}", file.display()))?;
                        *field = serde_json::Value::String(text);
                        replaced = true;
                    } else {
                        replaced |= inline_csv_files(field, dir, &here)?;
                    }
                }
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    replaced |= inline_csv_files(item, dir, &format!("{path}[{i}]"))?;
                }
            }
            _ => {}
        }
        Ok(replaced)
    }

    fn run(arg: &str, seed: Option<u64>, until: Option<Duration>, format: Format, out: Option<&Path>) -> Result<(), String> {
        let mut scenario = load(arg)?;
        if let Some(seed) = seed {
            scenario.seed = seed;
        }
        if let Format::Events = format {
            return events::run(scenario, until, out);
        }
        let mut sim = Sim::with_journal(scenario, 0).map_err(|e| e.to_string())?;
        if let Some(until) = until {
            sim.set_end(until.0);
        }
        run_with_progress(&mut sim);
        let summary = Summary::of(&sim);
        let text = match format {
            Format::Text => summary.to_text(),
            Format::Json => {
                let doc = serde_json::json!({ "summary": &summary, "series": sim.series() });
                serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())? + "\n"
            }
            Format::Csv => sim.series().to_csv(),
            Format::Events => unreachable!("written by events::run"),
        };
        match out {
            None => print_out(&text)?,
            Some(path) => {
                std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
                print_out(&format!(
                    "{}: {} produced, {} processed, trace {}; wrote {}\n",
                    summary.scenario,
                    summary.produced,
                    summary.states.processed,
                    summary.trace_hash,
                    path.display()
                ))?;
            }
        }
        std::io::stdout().flush().map_err(io_error)
    }

    /// Writes to stdout.
    fn print_out(text: &str) -> Result<(), String> {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()).map_err(io_error)
    }

    /// An output error as a message; a closed pipe ends the program quietly
    /// and successfully, as it does a Unix filter (`mqsim run … | head -1`:
    /// the reader has what it wanted).
    fn io_error(e: std::io::Error) -> String {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        e.to_string()
    }

    /// Runs to the end in slices of simulated time; a progress bar appears on
    /// stderr once a run has taken a second, and only when stderr is a terminal.
    fn run_with_progress(sim: &mut Sim) {
        const SLICES: u64 = 200;
        let started = Instant::now();
        let end = sim.end();
        let bar = ProgressBar::with_draw_target(Some(SLICES), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {percent:>3}% simulated, {elapsed} elapsed, ~{eta} left")
                .expect("the template is valid"),
        );
        let show = std::io::stderr().is_terminal();
        for slice in 1..=SLICES {
            sim.run_until(end / SLICES * slice);
            if show && bar.is_hidden() && started.elapsed().as_secs() >= 1 {
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
            bar.set_position(slice);
        }
        sim.run_to_end();
        bar.finish_and_clear();
    }

    /// `mqsim run --format events`: the run's journal, written as it happens.
    ///
    /// Each line is one `LifeEvent` as JSON (`t` in nanoseconds, `msg`,
    /// `kind`, `node`, `key`, and `due`/`origin` when set), plus `at`, what
    /// `node` names, for the queue family: `{"queue": "orders"}`,
    /// `{"consumer": "worker", "instance": 0}` or `{"producer": "checkout"}`
    /// (see `observe::topology::describe`). The last line is
    /// `{"end": t, "queues": [{"name", "ready": [...]}]}`: every queue's
    /// ready messages at the end, head first (`Sim::queued_messages`). The
    /// broker differential suite (tests/broker/) reads this; so can anyone
    /// who wants to follow single messages through a run.
    mod events {
        use std::io::{BufWriter, Write};
        use std::path::Path;

        use mqsim::engine::Sim;
        use mqsim::observe::topology::{NodeKind, Subject, Topology, describe};
        use mqsim::observe::LifeEvent;
        use mqsim::scenario::Scenario;
        use mqsim::time::Duration;
        use serde_json::{Value, json};

        /// The journal keeps this many events between drains; a single
        /// event that records more (a crash of a broker holding millions of
        /// messages) is reported as an error rather than written with gaps.
        const RING: usize = 1 << 20;
        /// Kernel events between drains.
        const DRAIN_EVERY: u64 = 4096;

        pub fn run(scenario: Scenario, until: Option<Duration>, out: Option<&Path>) -> Result<(), String> {
            let mut sim = Sim::with_journal(scenario, RING).map_err(|e| e.to_string())?;
            if let Some(until) = until {
                sim.set_end(until.0);
            }
            let names = Names::of(&sim);
            let sink: Box<dyn Write> = match out {
                None => Box::new(std::io::stdout().lock()),
                Some(path) => Box::new(std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?),
            };
            let mut w = BufWriter::new(sink);
            let io = |w: &mut BufWriter<Box<dyn Write>>, sim: &mut Sim| -> Result<(), String> {
                for event in sim.drain_journal() {
                    writeln!(w, "{}", names.line(&event)).map_err(super::io_error)?;
                }
                if sim.journal_overwritten() > 0 {
                    return Err(format!(
                        "{} journal events were lost between two drains (more than {RING} at one step)",
                        sim.journal_overwritten()
                    ));
                }
                Ok(())
            };
            let mut steps = 0u64;
            while sim.step() {
                steps += 1;
                if steps % DRAIN_EVERY == 0 {
                    io(&mut w, &mut sim)?;
                }
            }
            sim.run_to_end();
            io(&mut w, &mut sim)?;
            let queues: Vec<Value> = sim
                .scenario()
                .queues
                .iter()
                .map(|q| {
                    let ready = sim.queued_messages(&q.name, usize::MAX).unwrap_or_default();
                    json!({ "name": q.name, "ready": ready })
                })
                .collect();
            writeln!(w, "{}", json!({ "end": sim.now(), "queues": queues })).map_err(super::io_error)?;
            w.flush().map_err(super::io_error)
        }

        /// What a journal event's `node` names, by the subject its kind refers to.
        struct Names {
            queues: Vec<String>,
            producers: Vec<String>,
            /// Consumer instance index -> (consumer name, instance).
            consumers: Vec<(String, u32)>,
        }

        impl Names {
            fn of(sim: &Sim) -> Names {
                let scenario = sim.scenario();
                let mut consumers = Vec::new();
                for node in Topology::of(sim).nodes {
                    if let NodeKind::Consumer { instances, .. } = node.kind {
                        for i in instances {
                            if consumers.len() <= i.index as usize {
                                consumers.resize(i.index as usize + 1, (String::new(), 0));
                            }
                            consumers[i.index as usize] = (node.name.clone(), i.instance);
                        }
                    }
                }
                Names {
                    queues: scenario.queues.iter().map(|q| q.name.clone()).collect(),
                    producers: scenario.producers.iter().map(|p| p.name.clone()).collect(),
                    consumers,
                }
            }

            fn line(&self, event: &LifeEvent) -> Value {
                let mut line = serde_json::to_value(event).expect("an event serializes");
                let n = event.node as usize;
                let at = match describe(event.kind).at {
                    Subject::Queue => self.queues.get(n).map(|q| json!({ "queue": q })),
                    Subject::Producer => self.producers.get(n).map(|p| json!({ "producer": p })),
                    Subject::Consumer => {
                        self.consumers.get(n).map(|(c, i)| json!({ "consumer": c, "instance": i }))
                    }
                    _ => None,
                };
                if let (Some(at), Value::Object(fields)) = (at, &mut line) {
                    fields.insert("at".to_string(), at);
                }
                line
            }
        }
    }
}
