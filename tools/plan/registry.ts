/** The areas that add sections or files to the offline plan: listed in components/region/plan.ts. */
export { PLAN_EXTENSIONS } from "../../components/region/plan";
