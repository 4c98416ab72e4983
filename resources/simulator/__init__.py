"""The traffic simulator: a county's fire, EMS and police radio traffic as
trunk-recorder call folders, with a ground truth to score every later stage against.

Entry points live in ``resources.simulator.simulate`` (``simulate``, ``simulate_live``).
This package module imports nothing, so the espeak-ng helper process that runs
``resources.simulator.espeak_server`` starts light.
"""
