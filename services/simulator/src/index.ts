export * from './jst';
export * from './kingdee';
export * from './demo-catalog';
export { startDemoSimulators, type DemoSimulators, type DemoSimulatorOptions } from './demo-simulators';
