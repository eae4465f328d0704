//! The `regsim` command.

fn main() {
    std::process::exit(regsim::cli::main());
}
