use mqsim::engine::Sim;
use mqsim::scenario::presets;
use mqsim::summary::Summary;
#[test]
fn find() {
    let mut sim = Sim::new(presets::load("publisher-confirms-broker-crash").unwrap()).unwrap();
    let mut t = 0;
    while t < 30_000_000_000 {
        t += 1_000_000;
        sim.run_until(t);
        if !sim.ledger_matches_world() {
            let s = Summary::of(&sim);
            println!("mismatch at {t}: {:?} produced {}", s.states, s.produced);
            println!("{:?}", (sim.amqp_recount(), sim.memory()));
            break;
        }
    }
}
